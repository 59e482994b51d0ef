package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowGraphTest {

  @Test
  @DisplayName("edges name their key, branch conditions read as words, and exits nobody named go to the failsafe, marked implicit")
  void graph() throws Exception {
    FlowGraph.Graph graph = FlowGraph.of(FlowParserTest.load("support.json"));
    assertEquals(17, graph.nodes().size());
    assertTrue(graph.edges().contains(new FlowGraph.Edge("main-menu", "sales", "press 1", "options/1", false)));
    assertTrue(graph.edges().contains(new FlowGraph.Edge("vip-check", "agent",
        "callingParty in +46701111111, +46702222222", "cases/0", false)), graph.edges().toString());
    assertTrue(graph.edges().contains(new FlowGraph.Edge("vip-check", "agent", "header.x-customer-tier = gold",
        "cases/1", false)));

    FlowGraph.Graph pin = FlowGraph.of(FlowParserTest.load("pin-demo.json"));
    FlowGraph.Graph parsed = FlowGraph.of(new FlowParser().parse("t.json", """
        {"id": "t", "start": "m", "states": {
          "m": {"type": "menu", "prompt": {"say": "Hi"}, "options": {"1": "bye"}, "invalid": {"exit": "bye"}},
          "bye": {"type": "hangup"}}}
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(parsed.edges().contains(new FlowGraph.Edge("m", Flow.FAILSAFE, "no input", "noInput", true)));
    assertTrue(parsed.edges().contains(new FlowGraph.Edge("m", "bye", "invalid", "invalid", false)));
    assertTrue(parsed.usesFailsafe());
    assertTrue(!pin.usesFailsafe(), "pin-demo names every exit");
  }
}
