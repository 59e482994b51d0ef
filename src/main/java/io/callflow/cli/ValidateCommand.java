package io.callflow.cli;

import io.callflow.flow.Finding;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowValidator;
import io.callflow.call.FlowFiles;
import io.callflow.config.ConfigException;
import io.callflow.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callflow validate}: everything wrong with flow files, before a caller finds it. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar validate --strict flows/", "  java -jar callflow.jar validate --json flows/support.json"},
    description = "Check flow files: schema, references, and graph checks. Exit 1 on errors.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", description = "Flow files or directories (default: flows).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--strict", description = "Warnings fail too.")
  boolean strict;

  @Option(names = "--json", description = "Print the findings as one JSON object (for CI and editors): errors, "
      + "warnings, passed, and each finding's severity, source, pointer, message and hint.")
  boolean json;

  @Option(names = {"-c", "--config"}, description = "Config file whose outbound.sipDomain decides whether number "
      + "destinations can be dialled (default: ${DEFAULT-VALUE}, when it exists).")
  Path config = Path.of("config/application.json");

  @Option(names = "--sip-domain", description = "Dial number destinations at this domain (overrides the config).")
  String sipDomain;

  @Override
  public Integer call() throws IOException {
    String domain = sipDomain;
    if (domain == null && Files.exists(config)) {
      try {
        domain = ConfigLoader.load(config, System.getenv()).outbound().sipDomain();
      } catch (ConfigException e) {
        System.err.println("callflow: " + e.getMessage());
        return 2;
      }
    }
    List<Finding> findings = validate(paths.isEmpty() ? List.of(Path.of("flows")) : paths, domain);
    return json ? reportJson(findings, System.out, strict) : report(findings, System.out, strict);
  }

  /** {@link #validate(List, String)} for a deployment without outbound.sipDomain. */
  static List<Finding> validate(List<Path> paths) throws IOException {
    return validate(paths, null);
  }

  /**
   * Parses and checks every flow file under {@code paths}, then the numbers they claim together; number
   * destinations are dialled at {@code sipDomain} (null: refused).
   */
  static List<Finding> validate(List<Path> paths, String sipDomain) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      files.addAll(Files.isDirectory(path) ? FlowFiles.list(path) : List.of(path));
    }
    List<Finding> findings = new ArrayList<>();
    Map<String, Flow> parsed = new LinkedHashMap<>();
    FlowParser parser = new FlowParser();
    FlowValidator validator = new FlowValidator(sipDomain);
    for (Path file : files) {
      String source = file.toString();
      FlowParser.Checked checked = parser.check(source, Files.readAllBytes(file));
      checked.problems().forEach(problem -> findings.add(problemAsFinding(source, problem)));
      if (checked.flow() != null) {
        // Schema problems do not hide the graph checks when every state still binds: one run shows everything.
        findings.addAll(graphChecks(validator, source, checked));
        if (checked.problems().isEmpty()) {
          parsed.put(source, checked.flow());
        }
      }
    }
    findings.addAll(FlowValidator.sharedNumbers(parsed));
    return findings;
  }

  /**
   * The validator's findings; on a flow the schema refused, a check that trips over what the schema would have
   * kept out (a missing required key) is skipped rather than failing the whole run, as the schema already said it.
   */
  private static List<Finding> graphChecks(FlowValidator validator, String source, FlowParser.Checked checked) {
    try {
      return validator.check(source, checked.flow());
    } catch (RuntimeException e) {
      if (checked.problems().isEmpty()) {
        throw e;
      }
      return List.of();
    }
  }

  private static Finding problemAsFinding(String source, String problem) {
    String rest = problem.substring(source.length() + 1);
    int colon = rest.indexOf(": ");
    return new Finding(Finding.Severity.ERROR, source, rest.substring(0, colon), rest.substring(colon + 2), null);
  }

  /** The findings as one JSON object; the same exit code as {@link #report}. */
  static int reportJson(List<Finding> findings, PrintStream out, boolean strict) throws IOException {
    long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    long warnings = findings.size() - errors;
    int code = errors > 0 || strict && warnings > 0 ? 1 : 0;
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode result = mapper.createObjectNode().put("errors", errors)
        .put("warnings", warnings).put("strict", strict).put("passed", code == 0);
    com.fasterxml.jackson.databind.node.ArrayNode list = result.putArray("findings");
    for (Finding f : findings) {
      list.addObject().put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT)).put("source", f.source())
          .put("pointer", f.pointer()).put("message", f.message()).put("hint", f.hint());
    }
    out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    return code;
  }

  static int report(List<Finding> findings, PrintStream out, boolean strict) {
    findings.forEach(out::println);
    long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    long warnings = findings.size() - errors;
    out.printf("%d error(s), %d warning(s)%n", errors, warnings);
    return errors > 0 || strict && warnings > 0 ? 1 : 0;
  }
}
