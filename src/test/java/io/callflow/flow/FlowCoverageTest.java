package io.callflow.flow;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlowCoverageTest {

  static final Caller CALLER = new Caller("+46701234567", "+46850001000", null, Map.of());

  @Test
  @DisplayName("exploring the support example reaches everything but what depends on the caller or the clock")
  void exploreSupport() throws Exception {
    FlowCoverage.Report report = new FlowCoverage(FlowParserTest.load("support.json"), CALLER, MONDAY_10).explore();
    assertEquals(Set.of("state agent", "exit agent/busy", "exit agent/noAnswer", "state closed", "state holiday",
        "exit internet-overflow/failed"), report.missed());
    assertEquals(49, report.items());
  }

  @Test
  @DisplayName("given scripts, coverage names exactly the options and exits they never took")
  void scripts() throws Exception {
    Flow flow = Calls.of(FlowEngineTest.FORWARD).flow;
    FlowCoverage.Report report = new FlowCoverage(flow, CALLER, MONDAY_10).run(List.of(List.of("1")));
    assertEquals(Set.of("exit menu/invalid", "exit menu/noInput"), report.missed());
    assertEquals(4, report.runs(), "one run per callee behaviour");
    assertEquals("4 simulated calls reached 11 of 13 states, options and exits", report.lines().get(0));
  }
}
