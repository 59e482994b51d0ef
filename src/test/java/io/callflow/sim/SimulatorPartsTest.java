package io.callflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorPartsTest {

  @Test
  @DisplayName("a caller script parses into its steps in order")
  void scriptParses() {
    CallerScript script = CallerScript.parse("wait 2s; press 1; silent; press 12#; wait 300ms; type 9; wait 1.5s; hangup;");
    assertEquals(new CallerScript.Wait(2000), script.next());
    assertEquals(new CallerScript.Press("1"), script.next());
    assertInstanceOf(CallerScript.Silent.class, script.next());
    assertEquals(new CallerScript.Press("12#"), script.next());
    assertEquals(new CallerScript.Wait(300), script.next());
    assertEquals(new CallerScript.Type("9"), script.peek());
    assertEquals(new CallerScript.Type("9"), script.next());
    assertEquals(new CallerScript.Wait(1500), script.next());
    assertInstanceOf(CallerScript.Hangup.class, script.next());
    assertNull(script.next());
    assertEquals(List.of(), CallerScript.parse("  ").steps());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"press | step 1 'press'", "press 1; jump | step 2 'jump'",
      "wait 2h | step 1 'wait 2h': '2h' is not a duration", "press 1x | step 1 'press 1x'", "; press 1 | step 1 ''",
      "press 1;; press 2 | step 2 ''", "silent now | step 1 'silent now'"})
  @DisplayName("a bad script step is refused with its position, its text and the forms expected")
  void badScript(String script, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CallerScript.parse(script));
    assertTrue(e.getMessage().startsWith("script " + message), e.getMessage());
  }

  @Test
  @DisplayName("a random caller is the same caller for the same seed, and peek shows the step next takes")
  void randomCaller() {
    CallerScript one = CallerScript.random(7);
    CallerScript two = CallerScript.random(7);
    List<CallerScript.Step> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      CallerScript.Step peeked = one.peek();
      CallerScript.Step taken = one.next();
      assertEquals(peeked, taken);
      assertEquals(taken, two.next());
      steps.add(taken);
    }
    assertTrue(steps.stream().anyMatch(CallerScript.Hangup.class::isInstance));
    assertTrue(steps.stream().anyMatch(CallerScript.Silent.class::isInstance));
    assertTrue(steps.stream().anyMatch(s -> s instanceof CallerScript.Press p && p.digits().endsWith("#")));
  }

  @Test
  @DisplayName("callees parse from their short descriptions")
  void callees() {
    assertEquals(new Callee.Answer(1500, 20_000), Callee.parse("answer after 1500ms talk 20s"));
    assertEquals(Callee.DEFAULT, Callee.parse("answer"));
    assertEquals(new Callee.Busy(), Callee.parse("busy"));
    assertEquals(new Callee.NoAnswer(), Callee.parse("noanswer"));
    assertEquals(new Callee.NoAnswer(10_000), Callee.parse("noanswer after 10s"));
    assertEquals(new Callee.Reject(503), Callee.parse("reject 503"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Callee.parse("answer soon"));
    assertTrue(e.getMessage().contains("expected 'answer after Ns talk Ns'"), e.getMessage());
  }

  @Test
  @DisplayName("a target URL gives host, port, base path and TLS; anything else is refused")
  void targets() {
    assertEquals(new SimConfig.Target("127.0.0.1", 8080, "", false), SimConfig.Target.of("http://127.0.0.1:8080"));
    assertEquals(new SimConfig.Target("ivr.example.com", 443, "/ms", true), SimConfig.Target.of("https://ivr.example.com/ms/"));
    assertThrows(IllegalArgumentException.class, () -> SimConfig.Target.of("ftp://x"));
    assertThrows(IllegalArgumentException.class, () -> SimConfig.Target.of("localhost:8080"));
  }

  @Test
  @DisplayName("ids look like the vendor's: version-1 UUIDs and three-part JWT-like replyIds, all distinct")
  void ids() {
    assertEquals(1, UUID.fromString(Ids.timeUuid()).version());
    assertEquals(3, Ids.replyId("d").split("\\.").length);
    assertTrue(Ids.replyId("d").startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
    assertTrue(!Ids.replyId("d").equals(Ids.replyId("d")) && !Ids.timeUuid().equals(Ids.timeUuid()));
  }
}
