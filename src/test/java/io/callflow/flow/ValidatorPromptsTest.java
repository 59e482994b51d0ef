package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ${var} is checked in every prompt a state renders, through the state's own prompt list. */
class ValidatorPromptsTest {

  @Test
  @DisplayName("unset variables in reprompt, retry and hold prompts are found, not only in the main prompt")
  void everyPrompt() throws Exception {
    Flow flow = new FlowParser().parse("p.json", """
        {"id": "p", "start": "menu", "states": {
          "menu": {"type": "menu", "prompt": {"say": "Choose."}, "reprompt": {"say": "Again, ${a}."},
                   "options": {"1": "pin"},
                   "noInput": {"prompt": {"say": "Silence, ${b}."}, "exit": "bye"},
                   "invalid": {"prompt": {"file": "${c}"}, "exit": "bye"}},
          "pin": {"type": "collect", "prompt": {"say": "PIN?"}, "variable": "pin", "next": "ask",
                  "invalid": {"prompt": {"url": "https://x/${d}.wav"}, "exit": "bye"}, "noInput": {"exit": "bye"}},
          "ask": {"type": "http", "url": "https://x/api", "hold": {"file": "hold-${e}"}, "ok": "bye", "error": "bye"},
          "bye": {"type": "hangup"}}}
        """.getBytes(StandardCharsets.UTF_8));
    List<String> unset = new FlowValidator().check("p.json", flow).stream()
        .filter(f -> f.message().startsWith("variable '")).map(f -> f.message().substring(10, 11)).sorted().toList();
    assertEquals(List.of("a", "b", "c", "d", "e"), unset);
  }
}
