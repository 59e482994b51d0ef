package io.callflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callflow.flow.Finding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each deliberately broken flow in src/test/resources/broken-flows gives exactly its findings. */
class ValidateCommandTest {

  static final Path BROKEN = Path.of("src/test/resources/broken-flows");

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("unreachable.json", List.of(
            "/states/orphan: warning: no call can reach state 'orphan'")),
        Arguments.of("endless-announcement.json", List.of(
            "/states/a: error: a call in state 'a' can never end: no path leads to a hangup, a forward or the failsafe",
            "/states/b: error: a call in state 'b' can never end: no path leads to a hangup, a forward or the failsafe")),
        Arguments.of("set-loop.json", List.of(
            "/states/a: error: state 'a' is on a loop that never waits for the caller; calls on it end in the failsafe",
            "/states/b: error: state 'b' is on a loop that never waits for the caller; calls on it end in the failsafe")),
        Arguments.of("menu-without-exits.json", List.of(
            "/states/menu/noInput: warning: no exit for callers who press nothing: after 3 tries they go to the failsafe",
            "/states/menu/invalid: warning: no exit for invalid input: after 3 tries callers go to the failsafe",
            "/states/menu/options/1: warning: option '1' is a prefix of '12': callers who press 1 wait for the "
                + "between-digit timeout before it counts")),
        Arguments.of("unset-variable.json", List.of(
            "/states/tell: warning: variable 'account' may be read before it is set on some path",
            "/states/tell: warning: variable 'typo' may be read before it is set: no state sets it")),
        Arguments.of("bad-destination.json", List.of(
            "/states/fwd/destination: error: 'sip:desk@pbx_example' is neither a SIP URI (sip:user@host) nor an E.164 number",
            "/numbers/0: warning: '0812345' is not an E.164 number")),
        Arguments.of("overlapping-hours.json", List.of(
            "/states/h/weekly/mon/1: warning: range 11:00-13:00 overlaps 08:00-12:00")),
        Arguments.of("no-failsafe.json", List.of(
            "/failsafe: warning: no failsafe destination: when the flow fails the caller hears an apology and is hung up")),
        Arguments.of("unknown-key.json", List.of(
            "/states/bye/colour: error: property 'colour' is not defined in the schema and the schema does not allow additional properties")),
        Arguments.of("impossible-branch.json", List.of(
            "/states/check/cases/0/when/equals: error: '…' can never be pin: it has 4 keys and collect 'pin' takes 6-10; "
                + "this case is never taken",
            "/states/check/cases/1/when/in/1: error: '…' can never be pin: it is not keypad keys (0-9, * and #); "
                + "this case is never taken",
            "/states/check/cases/1/when/in/2: error: '…' can never be pin: it holds '#', which ends the input of "
                + "collect 'pin'; this case is never taken",
            "/states/route/cases/0/when/equals: error: '12345' can never be code: it has 5 keys and collect 'code' "
                + "takes 1-4; this case is never taken")),
        Arguments.of("impossible-holiday.json", List.of(
            "/states/h/holidays/0: error: bad holiday '02-30', expected YYYY-MM-DD or MM-DD")),
        Arguments.of("unknown-zone.json", List.of(
            "/states/h/timezone: error: unknown time zone 'Mars/Olympus' (use an IANA name like Europe/Stockholm)")),
        // Every problem of an hours state in one run, each at its key.
        Arguments.of("many-hours-problems.json", List.of(
            "/states/h/timezone: error: unknown time zone 'Mars/Olympus' (use an IANA name like Europe/Stockholm)",
            "/states/h/weekly/mon/0: error: bad time '25:00' in range '25:00-17:00', expected HH:MM",
            "/states/h/weekly/mon/1: error: time range '08:00-07:00' ends before it starts",
            "/states/h/holidays/1: error: bad holiday '02-30', expected YYYY-MM-DD or MM-DD",
            "/states/h/holidays/2: error: bad holiday '2026-13-01', expected YYYY-MM-DD or MM-DD")),
        // Schema errors do not hide the reference and graph checks of a flow whose states bind.
        Arguments.of("schema-and-graph.json", List.of(
            "/states/bye/dropCode: error: unknown dropCode 'bussy' (one of busy, error, numberNotFound, numberNotActive, "
                + "dropNoMsg, temporarilyUnavailable)",
            "/states/main/timeout: error: must have a minimum value of 1",
            "/states/main/options/2: error: leads to unknown state 'gone'",
            "/states/orphan: warning: no call can reach state 'orphan'")),
        // Misspelt keys are errors at the key, and the rest of the flow is still checked.
        Arguments.of("typo-and-graph.json", List.of(
            "/colour: error: property 'colour' is not defined in the schema and the schema does not allow additional "
                + "properties",
            "/states/main/promt: error: property 'promt' is not defined in the schema and the schema does not allow "
                + "additional properties",
            "/states/orphan/nxt: error: property 'nxt' is not defined in the schema and the schema does not allow "
                + "additional properties",
            "/states/orphan: warning: no call can reach state 'orphan'")),
        // A value outside an enum is echoed with the values allowed.
        Arguments.of("bad-enums.json", List.of(
            "/states/bye/dropCode: error: unknown dropCode 'bussy' (one of busy, error, numberNotFound, numberNotActive, "
                + "dropNoMsg, temporarilyUnavailable)",
            "/states/call/method: error: unknown method 'FETCH' (one of GET, POST, PUT, PATCH, DELETE)",
            "/states/main/type: error: unknown state type 'menuu' (one of menu, collect, play, forward, hours, branch, "
                + "set, hangup, record, http, language)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  @DisplayName("a broken flow is reported with exactly its findings, each with file, JSON pointer and hint")
  void findings(String file, List<String> expected) throws Exception {
    Path path = BROKEN.resolve(file);
    List<Finding> findings = ValidateCommand.validate(List.of(path));
    assertEquals(expected, findings.stream().map(f -> withoutHint(f, path)).toList());
  }

  @Test
  @DisplayName("two flows claiming one number (+ or not) is an error on the second")
  void sharedNumber() throws Exception {
    List<Finding> findings = ValidateCommand.validate(List.of(BROKEN.resolve("number-a.json"), BROKEN.resolve("number-b.json")));
    assertEquals(List.of("/numbers/0: warning: '46850001234' is not an E.164 number",
        "/numbers/0: error: number 46850001234 is also claimed by " + BROKEN.resolve("number-a.json") + " (flow number-a)"),
        findings.stream().map(f -> withoutHint(f, BROKEN.resolve("number-b.json"))).toList());
  }

  @Test
  @DisplayName("--json: one object with the counts, passed, and each finding's severity, source, pointer, message, hint")
  void json() throws Exception {
    Path path = BROKEN.resolve("menu-without-exits.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ValidateCommand.reportJson(ValidateCommand.validate(List.of(path)), new PrintStream(out, true), true);
    com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.toByteArray());
    assertEquals(1, code);
    assertEquals(0, result.get("errors").asInt());
    assertEquals(3, result.get("warnings").asInt());
    assertEquals(false, result.get("passed").asBoolean());
    com.fasterxml.jackson.databind.JsonNode first = result.get("findings").get(0);
    assertEquals("warning", first.get("severity").asText());
    assertEquals(path.toString(), first.get("source").asText());
    assertEquals("/states/menu/noInput", first.get("pointer").asText());
    assertEquals("set noInput.exit", first.get("hint").asText());
  }

  @Test
  @DisplayName("--json carries the same findings as the text report: schema, reference and graph findings of one file")
  void jsonCarriesEveryFinding() throws Exception {
    Path path = BROKEN.resolve("schema-and-graph.json");
    List<Finding> findings = ValidateCommand.validate(List.of(path));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(1, ValidateCommand.reportJson(findings, new PrintStream(out, true), false));
    com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.toByteArray());
    assertEquals(3, result.get("errors").asInt());
    assertEquals(1, result.get("warnings").asInt());
    List<String> pointers = new java.util.ArrayList<>();
    result.get("findings").forEach(f -> pointers.add(f.get("pointer").asText() + " " + f.get("message").asText()));
    assertEquals(findings.stream().map(f -> f.pointer() + " " + f.message()).toList(), pointers);
  }

  @Test
  @DisplayName("the example flows have no errors; errors exit 1, warnings only with --strict")
  void exitCodes() throws Exception {
    List<Finding> examples = ValidateCommand.validate(List.of(Path.of("flows")));
    assertEquals(0, examples.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count(), examples.toString());
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    assertEquals(0, ValidateCommand.report(examples, quiet, false));
    assertEquals(0, ValidateCommand.report(examples, quiet, true), "--strict passes on the shipped examples: " + examples);
    assertEquals(1, ValidateCommand.report(ValidateCommand.validate(List.of(BROKEN.resolve("unreachable.json"))), quiet,
        true), "a warning fails --strict");
    assertEquals(1, ValidateCommand.report(ValidateCommand.validate(List.of(BROKEN.resolve("set-loop.json"))), quiet, false));
  }

  private static String withoutHint(Finding finding, Path source) {
    assertEquals(source.toString(), finding.source());
    String text = finding.toString().substring(source.toString().length() + 1);
    int hint = text.indexOf(" (hint: ");
    return hint < 0 ? text : text.substring(0, hint);
  }
}
