package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowParserTest {

  private final FlowParser parser = new FlowParser();

  static final String VALID = """
      {"id": "t", "numbers": ["+4612"], "start": "menu", "states": {
        "menu": {"type": "menu", "prompt": {"say": "Hi"}, "options": {"1": "bye"}},
        "bye": {"type": "hangup"}}}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"support.json", "pin-demo.json", "direct-forward.json"})
  @DisplayName("every example flow in flows/ parses")
  void examplesParse(String file) throws Exception {
    Flow flow = parser.parse(file, Files.readAllBytes(Path.of("flows", file)));
    assertEquals(file.replace(".json", ""), flow.id());
    assertEquals(12, flow.version().length());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown top-level key   | \"id\": \"t\",                | \"id\": \"t\", \"colour\": \"red\",        | t:/colour: property 'colour' is not defined",
      "unknown key in a state  | \"type\": \"hangup\"          | \"type\": \"hangup\", \"mood\": 1         | t:/states/bye/mood: property 'mood' is not defined",
      "wrong type              | [\"+4612\"]                   | \"+4612\"                                 | t:/numbers: string found, array expected",
      "unknown state type      | \"hangup\"                    | \"dance\"                                 | t:/states/bye/type: unknown state type 'dance' (one of menu, collect, play",
      "reserved state id       | \"bye\"                       | \"failsafe\"                              | t:/states: property 'failsafe' name is not valid",
      "duplicate key           | \"id\": \"t\",                | \"id\": \"t\", \"id\": \"u\",             | t:/: not valid JSON",
  })
  @DisplayName("schema violations are reported with their JSON pointer")
  void schemaProblems(String name, String original, String replacement, String expected) {
    FlowException e = assertThrows(FlowException.class, () -> parse(VALID.replace(original, replacement)));
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected)), e.problems().toString());
  }

  @Test
  @DisplayName("a target that names no state is reported at the key that names it, and a bad start too")
  void unknownTargets() {
    String flow = """
        {"id": "t", "start": "nowhere", "states": {
          "menu": {"type": "menu", "prompt": {"say": "Hi"}, "options": {"1": "gone"}}}}
        """;
    FlowException e = assertThrows(FlowException.class, () -> parse(flow));
    assertEquals(List.of("t:/start: no state 'nowhere'", "t:/states/menu/options/1: leads to unknown state 'gone'"), e.problems());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "\"timezone\": \"Mars/Olympus\", \"weekly\": {}                         | unknown time zone 'Mars/Olympus'",
      "\"timezone\": \"UTC\", \"weekly\": {\"mon\": [\"17:00-08:00\"]}        | time range '17:00-08:00' ends before it starts",
      "\"timezone\": \"UTC\", \"weekly\": {\"mon\": [\"25:00-26:00\"]}        | bad time '25:00'",
      "\"timezone\": \"UTC\", \"weekly\": {}, \"holidays\": [\"2026-02-30\"]  | bad holiday '2026-02-30'",
  })
  @DisplayName("office hours that cannot be evaluated are refused with the bad value named")
  void badHours(String fields, String expected) {
    String flow = "{\"id\": \"t\", \"start\": \"h\", \"states\": {\"h\": {\"type\": \"hours\", " + fields
        + ", \"open\": \"x\", \"closed\": \"x\"}, \"x\": {\"type\": \"hangup\"}}}";
    FlowException e = assertThrows(FlowException.class, () -> parse(flow));
    assertTrue(e.problems().get(0).startsWith("t:/states/h"), e.problems().toString());
    assertTrue(e.problems().get(0).contains(expected), e.problems().toString());
  }

  @Test
  @DisplayName("several problems are reported at once")
  void severalProblems() {
    String flow = """
        {"id": "T!", "start": "m", "extra": 1, "states": {"m": {"type": "play", "prompt": {"say": "x"}}}}
        """;
    FlowException e = assertThrows(FlowException.class, () -> parse(flow));
    assertTrue(e.problems().size() >= 3, e.problems().toString());
  }

  @Test
  @DisplayName("malformed, oversize and over-deep input is refused without parsing further")
  void hostileInput() {
    assertTrue(assertThrows(FlowException.class, () -> parse("{\"id\": ")).problems().get(0).contains("not valid JSON"));
    byte[] huge = ("{\"id\": \"t\", \"description\": \"" + "x".repeat(FlowParser.MAX_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertTrue(assertThrows(FlowException.class, () -> parser.parse("t", huge)).problems().get(0).contains("larger than"));
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertTrue(assertThrows(FlowException.class, () -> parse(deep)).problems().get(0).contains("not valid JSON"));
    assertTrue(assertThrows(FlowException.class, () -> parse("[1]")).problems().get(0).contains("a flow is a JSON object"));
  }

  @Test
  @DisplayName("states bind one by one: the problems of two broken states come in one run, each at its key")
  void everyStatesProblems() {
    String flow = """
        {"id": "t", "start": "a", "states": {
          "a": {"type": "hours", "timezone": "Nowhere/Land", "weekly": {}, "open": "b", "closed": "b"},
          "b": {"type": "hours", "timezone": "UTC", "weekly": {"sun": ["10:00-09:00"]}, "open": "c", "closed": "c"},
          "c": {"type": "menu", "prompt": {"say": "Hi"}, "options": {"1": "gone"}}}}
        """;
    FlowException e = assertThrows(FlowException.class, () -> parse(flow));
    assertEquals(List.of("t:/states/a/timezone: unknown time zone 'Nowhere/Land' (use an IANA name like Europe/Stockholm)",
        "t:/states/b/weekly/sun/0: time range '10:00-09:00' ends before it starts",
        "t:/states/c/options/1: leads to unknown state 'gone'"), e.problems());
    assertEquals(null, parser.check("t", flow.getBytes(StandardCharsets.UTF_8)).flow(),
        "a state that does not bind leaves no flow for the graph checks");
  }

  @Test
  @DisplayName("the version is the content hash: stable for the same bytes, new for an edit")
  void versionIsContentHash() throws Exception {
    assertEquals(parse(VALID).version(), parse(VALID).version());
    assertNotEquals(parse(VALID).version(), parse(VALID.replace("Hi", "Hello")).version());
  }

  @Test
  @DisplayName("a single prompt is accepted where a list is expected")
  void singlePromptAsList() throws Exception {
    State.Menu menu = (State.Menu) parse(VALID).states().get("menu");
    assertEquals(List.of(Prompt.say("Hi")), menu.prompt());
  }

  private Flow parse(String json) throws FlowException {
    return parser.parse("t", json.getBytes(StandardCharsets.UTF_8));
  }

  static Flow load(String file) throws IOException, FlowException {
    return new FlowParser().parse(file, Files.readAllBytes(Path.of("flows", file)));
  }
}
