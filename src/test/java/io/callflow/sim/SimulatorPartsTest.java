package io.callflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorPartsTest {

  @Test
  @DisplayName("a caller script parses into its steps in order")
  void scriptParses() {
    CallerScript script = CallerScript.parse("wait 2s; press 1; silent; press 12#; wait 300ms; hangup");
    assertEquals(new CallerScript.Wait(2000), script.next());
    assertEquals(new CallerScript.Press("1"), script.next());
    assertInstanceOf(CallerScript.Silent.class, script.next());
    assertEquals(new CallerScript.Press("12#"), script.next());
    assertEquals(new CallerScript.Wait(300), script.next());
    assertInstanceOf(CallerScript.Hangup.class, script.next());
    assertNull(script.next());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"press | step 1 'press'", "press 1; jump | step 2 'jump'", "wait 2h | step 1 'wait 2h'",
      "press 1x | step 1 'press 1x'"})
  @DisplayName("a bad script step is refused with its position")
  void badScript(String script, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CallerScript.parse(script));
    assertTrue(e.getMessage().startsWith("script " + message), e.getMessage());
  }

  @Test
  @DisplayName("callees parse from their short descriptions")
  void callees() {
    assertEquals(new Callee.Answer(1500, 20_000), Callee.parse("answer after 1500ms talk 20s"));
    assertEquals(new Callee.Busy(), Callee.parse("busy"));
    assertEquals(new Callee.NoAnswer(), Callee.parse("noanswer"));
    assertEquals(new Callee.Reject(503), Callee.parse("reject 503"));
    assertThrows(IllegalArgumentException.class, () -> Callee.parse("answer soon"));
  }

  @ParameterizedTest(name = "pressed {0} with maxDigits {1} and key {2} → {3} ({4})")
  @CsvSource({
      "12#, 10, #, 12, terminationKey",
      "1, 1, , 1, maxDigits",
      "123, 2, , 12, maxDigits",
      "12, 4, #, 12, betweenTimeout",
      "#, 1, , #, maxDigits",
  })
  @DisplayName("DTMF outcomes follow the command's maxDigits and termination key; the key is not in dtmfMatch")
  void dtmfOutcomes(String pressed, int maxDigits, String key, String match, String reason) {
    JsonObject dtmf = new JsonObject().put("maxDigits", maxDigits).put("terminationKey", key);
    JsonObject outcome = SimulatedCall.dtmfOutcome(pressed, dtmf);
    assertEquals(match, outcome.getJsonObject("dtmfParams").getString("dtmfMatch"));
    assertEquals(reason, outcome.getJsonObject("dtmfParams").getString("reason"));
    assertEquals(match, outcome.getString("dtmfBuffer"));
  }

  @Test
  @DisplayName("ids look like the vendor's: version-1 UUIDs and three-part JWT-like replyIds")
  void ids() {
    assertEquals(1, UUID.fromString(Ids.timeUuid()).version());
    assertEquals(3, Ids.replyId("d").split("\\.").length);
    assertTrue(Ids.replyId("d").startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
  }
}
