package io.callflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line as an operator and a CI job meet it: help, mistakes, and simulate's assertions. */
class CommandLineTest {

  /** What one command run printed and returned. */
  record Run(int code, String out, String err) {
  }

  /** Runs the command line as {@code main} does, capturing picocli's and the commands' own output. */
  static synchronized Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream printedErr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(printedErr, true, StandardCharsets.UTF_8));
    try {
      CommandLine line = Main.commandLine();
      line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
      int code = line.execute(args);
      return new Run(code, out + printed.toString(StandardCharsets.UTF_8), err + printedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  @DisplayName("serve --help works and shows an example; the top list hides the benchmark helpers")
  void help() {
    Run serve = run("serve", "--help");
    assertEquals(0, serve.code(), serve.err());
    assertTrue(serve.out().contains("--config") && serve.out().contains("Examples:"), serve.out());
    Run top = run("--help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("validate") && top.out().contains("simulate"), top.out());
    assertFalse(top.out().contains("ceiling") || top.out().contains("footprint"), top.out());
    assertEquals(0, run("footprint", "--help").code(), "still there for bench/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "validate", "diagram", "simulate", "import", "report", "loadtest"})
  @DisplayName("every operator command's help has an example")
  void examples(String command) {
    Run help = run(command, "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("Example"), help.out());
    assertTrue(help.out().contains("java -jar callflow.jar " + command), help.out());
  }

  @Test
  @DisplayName("a missing file is one clear line and exit code 2, never a stack trace")
  void missingFile() {
    for (List<String> args : List.of(List.of("validate", "no-such.json"), List.of("diagram", "no-such.json"),
        List.of("simulate", "no-such.json"), List.of("import", "portsip", "no-such.json"),
        List.of("report", "no-such.json"))) {
      Run run = run(args.toArray(String[]::new));
      assertEquals(2, run.code(), args + ": " + run.err());
      assertTrue(run.err().contains("no such file: no-such.json"), args + ": " + run.err());
      assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), args + ": " + run.err());
    }
  }

  @Test
  @DisplayName("import of a file that is not JSON says so, without a stack trace")
  void notJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("x.json"), "{ not json");
    Run run = run("import", "portsip", file.toString());
    assertEquals(2, run.code());
    assertTrue(run.err().startsWith("callflow import: not valid JSON"), run.err());
  }

  @Test
  @DisplayName("simulate --expect: all passing is exit 0; a failing one is exit 1 and shows what happened")
  void expectations() {
    String flow = "src/test/resources/flows/test-line.json";
    Run passing = run("simulate", flow, "--at", "2026-03-02T10:00:00+01:00", "--dtmf", "1",
        "--expect", "state=main", "--expect", "end=transferred", "--expect", "!state=goodbye");
    assertEquals(0, passing.code(), passing.out() + passing.err());
    assertTrue(passing.out().contains("ok     --expect end=transferred"), passing.out());
    Run failing = run("simulate", flow, "--at", "2026-03-02T10:00:00+01:00", "--dtmf", "1",
        "--expect", "end=hangup:goodbye");
    assertEquals(1, failing.code(), failing.out());
    assertTrue(failing.out().contains("FAILED --expect end=hangup:goodbye (ended transferred)"), failing.out());
    assertEquals(2, run("simulate", flow, "--expect", "colour=blue").code(), "a malformed assertion");
  }

  @Test
  @DisplayName("simulate --json: one object with transcript, states, variables and the assertions")
  void jsonTranscript() throws Exception {
    Run run = run("simulate", "src/test/resources/flows/test-line.json", "--at", "2026-03-02T10:00:00+01:00",
        "--dtmf", "3,1234567#", "--json", "--expect", "var.account=1234567");
    JsonNode out = new ObjectMapper().readTree(run.out());
    assertEquals(0, run.code(), run.out());
    assertEquals("test-line", out.get("flow").asText());
    assertTrue(out.get("passed").asBoolean());
    assertEquals("hours", out.get("states").get(0).asText());
    assertTrue(out.get("transcript").size() > 3);
    assertEquals("var.account=1234567", out.get("expectations").get(0).get("expect").asText());
    assertTrue(out.get("expectations").get(0).get("ok").asBoolean());
  }

  @Test
  @DisplayName("simulate --coverage --min-coverage: exit 1 below the threshold, 0 at or above, JSON on request")
  void coverageThreshold() throws Exception {
    String flow = "src/test/resources/flows/test-line.json";
    Run some = run("simulate", flow, "--at", "2026-03-02T10:00:00+01:00", "--coverage", "--dtmf", "2",
        "--min-coverage", "100");
    assertEquals(1, some.code(), some.out());
    assertTrue(some.out().contains("FAILED"), some.out());
    Run low = run("simulate", flow, "--at", "2026-03-02T10:00:00+01:00", "--coverage", "--dtmf", "2",
        "--min-coverage", "1", "--json");
    assertEquals(0, low.code(), low.out());
    JsonNode out = new ObjectMapper().readTree(low.out());
    assertTrue(out.get("passed").asBoolean());
    assertTrue(out.get("reached").asInt() < out.get("items").asInt());
    assertEquals(2, run("simulate", flow, "--min-coverage", "50").code(), "--min-coverage needs --coverage");
  }
}
