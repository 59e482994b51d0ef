package io.callflow.cli;

import io.callflow.flow.Activity;
import io.callflow.flow.FlowCoverage;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowSimulation;
import io.callflow.flow.Caller;
import io.callflow.flow.Flow;
import io.callflow.flow.Session;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callflow simulate FLOW}: one call through the real engine, offline, told as a transcript. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar simulate flows/support.json --dtmf 2,timeout,1",
        "  java -jar callflow.jar simulate flows/support.json --dtmf '1|2|3' --coverage --min-coverage 90"},
    description = "Run a flow offline with a virtual clock and scripted keys, and print the call as a transcript.")
final class SimulateCommand implements Callable<Integer> {

  @Parameters(description = "The flow file.")
  Path file;

  @Option(names = "--from", description = "Calling party (default: ${DEFAULT-VALUE}).")
  String from = "+46701234567";

  @Option(names = "--to", description = "Called party (default: the flow's first number).")
  String to;

  @Option(names = "--name", description = "Caller's display name.")
  String name;

  @Option(names = "--at", description = "When the call happens, ISO-8601 with offset (default: now).")
  OffsetDateTime at = OffsetDateTime.now();

  @Option(names = "--dtmf", description = "What the caller does at each collection, comma-separated: digits "
      + "(a trailing # ends input) or 'timeout', e.g. \"2,timeout,123456#\".")
  String dtmf = "";

  @Option(names = "--var", description = "Start with a flow variable, k=v (repeatable).")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--header", description = "An inbound X-/P- header, name=value (repeatable).")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = "--coverage", description = "Report the states, options and exits no call reaches: over the "
      + "--dtmf scripts (several separated by |), or, without --dtmf, exploring every choice by itself.")
  boolean coverage;

  @Option(names = "--expect", description = "An assertion on the call, repeatable; any that fails makes the exit "
      + "code 1: " + SimulationExpectations.FORMS + ".")
  List<String> expects = new ArrayList<>();

  @Option(names = "--json", description = "Print the transcript, the call's end, states, variables and the "
      + "assertions as one JSON object (for CI).")
  boolean json;

  @Option(names = "--min-coverage", description = "With --coverage: exit 1 when fewer than this percentage of the "
      + "states, options and exits are reached.")
  Integer minCoverage;

  @Option(names = "--callee", description = "How forwards' callees behave: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  FlowSimulation.Callee callee = FlowSimulation.Callee.ANSWER;

  private static List<String> keys(String script) {
    return script.isBlank() ? List.of() : Arrays.stream(script.split(",")).map(String::trim).toList();
  }

  @Override
  public Integer call() throws IOException {
    for (String expect : expects) {
      String problem = SimulationExpectations.problem(expect);
      if (problem != null) {
        System.err.println("callflow simulate: " + problem);
        return 2;
      }
    }
    if (minCoverage != null && (!coverage || minCoverage < 0 || minCoverage > 100)) {
      System.err.println("callflow simulate: --min-coverage takes 0 to 100, with --coverage");
      return 2;
    }
    Flow flow;
    try {
      flow = new FlowParser().parse(file.toString(), Files.readAllBytes(file));
    } catch (FlowException e) {
      e.problems().forEach(System.err::println);
      return 1;
    }
    String called = to != null ? to : flow.numbers().isEmpty() ? "" : flow.numbers().get(0);
    Map<String, String> lowerHeaders = new LinkedHashMap<>();
    headers.forEach((k, v) -> lowerHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v));
    Caller caller = new Caller(from, called, name, lowerHeaders);
    return coverage ? coverage(flow, caller) : simulate(flow, caller);
  }

  private int coverage(Flow flow, Caller caller) throws IOException {
    FlowCoverage cover = new FlowCoverage(flow, caller, at.toInstant());
    FlowCoverage.Report report = dtmf.isBlank() ? cover.explore()
        : cover.run(Arrays.stream(dtmf.split("\\|")).map(SimulateCommand::keys).toList());
    int reached = report.items() - report.missed().size();
    double percent = report.items() == 0 ? 100 : 100.0 * reached / report.items();
    boolean passed = minCoverage == null || percent >= minCoverage;
    if (json) {
      ObjectNode out = JSON.createObjectNode().put("flow", flow.id()).put("runs", report.runs())
          .put("items", report.items()).put("reached", reached).put("percent", Math.round(percent * 10) / 10.0)
          .put("passed", passed);
      if (minCoverage != null) {
        out.put("minCoverage", minCoverage);
      }
      report.missed().forEach(out.putArray("missed")::add);
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    } else {
      report.lines().forEach(System.out::println);
      if (minCoverage != null) {
        System.out.printf("coverage %.1f%% (at least %d%% required): %s%n", percent, minCoverage,
            passed ? "passed" : "FAILED");
      }
    }
    return passed ? 0 : 1;
  }

  private int simulate(Flow flow, Caller caller) throws IOException {
    FlowSimulation simulation = new FlowSimulation(flow, caller, at.toInstant(), keys(dtmf), vars, callee);
    List<String> transcript = simulation.run();
    Session call = simulation.session();
    List<SimulationExpectations.Outcome> outcomes = SimulationExpectations.check(expects, call, transcript);
    boolean passed = outcomes.stream().allMatch(SimulationExpectations.Outcome::ok);
    if (json) {
      ObjectNode out = JSON.createObjectNode().put("flow", flow.id()).put("version", flow.version())
          .put("from", caller.callingParty()).put("to", caller.calledParty()).put("at", at.toString())
          .put("endReason", call.endReason()).put("passed", passed);
      transcript.forEach(out.putArray("transcript")::add);
      call.trail().stream().filter(a -> a.kind() == Activity.Kind.ENTERED).forEach(a -> out.withArray("states").add(a.state()));
      ObjectNode variables = out.putObject("variables");
      new java.util.TreeMap<>(call.vars()).forEach(variables::put);
      ArrayNode checked = out.putArray("expectations");
      outcomes.forEach(o -> checked.addObject().put("expect", o.expect()).put("ok", o.ok()).put("actual", o.actual()));
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    } else {
      transcript.forEach(System.out::println);
      outcomes.forEach(o -> System.out.println((o.ok() ? "ok     " : "FAILED ") + "--expect " + o.expect()
          + (o.ok() ? "" : " (" + o.actual() + ")")));
    }
    return passed ? 0 : 1;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
}
