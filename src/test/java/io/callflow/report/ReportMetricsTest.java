package io.callflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportMetricsTest {

  @Test
  @DisplayName("an end reason's label says how the call ended, and its state label names a state, never an outcome")
  void reasonAndState() {
    assertEquals("callerHangup", ReportMetrics.reasonLabel("callerHangup:main", ReportMetrics.endState("callerHangup:main", "x")));
    assertEquals("main", ReportMetrics.endState("callerHangup:main", "x"));
    assertEquals("forwardFailed", ReportMetrics.reasonLabel("forward:failed", "sales"));
    assertEquals("sales", ReportMetrics.endState("forward:failed", "sales"));
    assertEquals("forwardBusy", ReportMetrics.reasonLabel("forward:busy", "sales"));
    assertEquals("forwardNoAnswer", ReportMetrics.reasonLabel("forward:noAnswer", "sales"));
    assertEquals("hangup", ReportMetrics.reasonLabel("hangup:goodbye", "goodbye"));
    assertEquals("goodbye", ReportMetrics.endState("hangup:goodbye", "readback"));
    assertEquals("expired", ReportMetrics.reasonLabel("expired", "menu"));
    assertEquals("menu", ReportMetrics.endState("expired", "menu"));
    assertEquals("unknown", ReportMetrics.reasonLabel(null, "menu"));
  }
}
