package io.callflow.flow;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Offline transcripts of the example flows, through the real engine. */
class FlowSimulationTest {

  private static List<String> simulate(String file, String from, Instant at, List<String> keys,
                                       FlowSimulation.Callee callee) throws Exception {
    Flow flow = FlowParserTest.load(file);
    return new FlowSimulation(flow, new Caller(from, flow.numbers().get(0), "Ada", Map.of()), at, keys, Map.of(),
        callee).run();
  }

  @Test
  @DisplayName("support: internet is busy, the overflow team is busy too, the caller hears the busy message")
  void supportBusyOverflow() throws Exception {
    List<String> t = simulate("support.json", "+46701234567", MONDAY_10, List.of("2", "1"), FlowSimulation.Callee.BUSY);
    assertTrue(t.contains("forwarded to sip:+46850009001@pbx.example.com (rings up to 25 s)"), t.toString());
    assertTrue(t.contains("forwarded to sip:+46850009002@pbx.example.com (rings up to 20 s)"), t.toString());
    assertEquals(List.of("hears: All our agents are busy right now. Please call again later. Goodbye.", "IVR hangs up",
        "call ends: hangup:sorry-busy"), t.subList(t.size() - 3, t.size()));
  }

  @Test
  @DisplayName("support on a Sunday: the closed message; a VIP on Monday goes straight to an agent")
  void supportClosedAndVip() throws Exception {
    List<String> sunday = simulate("support.json", "+46701234567", Instant.parse("2026-11-22T12:00:00Z"), List.of(),
        FlowSimulation.Callee.ANSWER);
    assertTrue(sunday.contains("hears: Our office is closed. We are open Monday to Friday, eight to five. Goodbye."));
    List<String> vip = simulate("support.json", "+46701111111", MONDAY_10, List.of(), FlowSimulation.Callee.ANSWER);
    assertTrue(vip.contains("forwarded to sip:+46850009006@pbx.example.com (rings up to 30 s)"), vip.toString());
    assertEquals("call ends: transferred", vip.get(vip.size() - 1));
  }

  @Test
  @DisplayName("pin-demo: the right PIN is welcomed by name, and never appears in the transcript's trail")
  void pinDemo() throws Exception {
    List<String> t = simulate("pin-demo.json", "+46701234567", MONDAY_10, List.of("2468#"), FlowSimulation.Callee.ANSWER);
    assertTrue(t.contains("hears: Thank you, Ada."), t.toString());
    assertTrue(t.contains("hears: [file welcome-jingle]"), t.toString());
    assertEquals("call ends: hangup:goodbye", t.get(t.size() - 1));
  }

  @Test
  @DisplayName("a caller who presses nothing hears the menu again, then is led out by the no-input exit")
  void silentCaller() throws Exception {
    List<String> t = simulate("support.json", "+46701234567", MONDAY_10, List.of(), FlowSimulation.Callee.ANSWER);
    assertEquals(3, t.stream().filter(l -> l.startsWith("presses nothing")).count(), t.toString());
    assertTrue(t.contains("→ operator (forward)"), t.toString());
  }

  @Test
  @DisplayName("direct-forward: the desk does not answer, the caller is told so by the IVR")
  void directForward() throws Exception {
    List<String> t = simulate("direct-forward.json", "+46701234567", MONDAY_10, List.of(), FlowSimulation.Callee.NOANSWER);
    assertEquals(List.of("callee does not answer (480)", "→ busy-message (hangup)", "connected to the IVR",
        "hears: Nobody can take your call right now. Please try again later.", "IVR hangs up",
        "call ends: hangup:busy-message"), t.subList(3, 9));
  }
}
