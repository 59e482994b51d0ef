package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowDiagramTest {

  @Test
  @DisplayName("the Mermaid diagram has a node per state and a labelled edge per way out, failsafe included")
  void diagram() throws Exception {
    String mermaid = FlowDiagram.mermaid(FlowParserTest.load("support.json"));
    assertTrue(mermaid.startsWith("flowchart TD\n  start((start)) --> s_office_hours\n"), mermaid);
    assertTrue(mermaid.contains("  s_main_menu -- \"press 3\" --> s_account_number\n"), mermaid);
    assertTrue(mermaid.contains("  s_internet -- \"busy\" --> s_internet_overflow\n"), mermaid);
    assertTrue(mermaid.contains("  s_office_hours -- \"holiday\" --> s_holiday\n"), mermaid);
    assertTrue(mermaid.contains("  s_goodbye([\"goodbye<br/><i>hangup</i>\"])\n"), mermaid);
    String pin = FlowDiagram.mermaid(FlowParserTest.load("pin-demo.json"));
    assertTrue(!pin.contains("s_failsafe"), "no state of pin-demo leads to the failsafe: " + pin);
  }
}
