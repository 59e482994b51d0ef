package io.callflow.cli;

import io.callflow.flow.FlowCoverage;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowSimulation;
import io.callflow.flow.Caller;
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

  @Option(names = "--callee", description = "How forwards' callees behave: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  FlowSimulation.Callee callee = FlowSimulation.Callee.ANSWER;

  private static List<String> keys(String script) {
    return script.isBlank() ? List.of() : Arrays.stream(script.split(",")).map(String::trim).toList();
  }

  @Override
  public Integer call() throws IOException {
    try {
      var flow = new FlowParser().parse(file.toString(), Files.readAllBytes(file));
      String called = to != null ? to : flow.numbers().isEmpty() ? "" : flow.numbers().get(0);
      Map<String, String> lowerHeaders = new LinkedHashMap<>();
      headers.forEach((k, v) -> lowerHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v));
      Caller caller = new Caller(from, called, name, lowerHeaders);
      if (coverage) {
        FlowCoverage cover = new FlowCoverage(flow, caller, at.toInstant());
        FlowCoverage.Report report = dtmf.isBlank() ? cover.explore()
            : cover.run(Arrays.stream(dtmf.split("\\|")).map(SimulateCommand::keys).toList());
        report.lines().forEach(System.out::println);
        return 0;
      }
      new FlowSimulation(flow, caller, at.toInstant(), keys(dtmf), vars, callee).run().forEach(System.out::println);
      return 0;
    } catch (FlowException e) {
      e.problems().forEach(System.err::println);
      return 1;
    }
  }
}
