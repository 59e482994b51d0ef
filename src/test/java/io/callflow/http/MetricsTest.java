package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /metrics after a scripted set of calls: each value is the one those calls must produce. */
@ExtendWith(VertxExtension.class)
class MetricsTest {

  @BeforeAll
  static void warm() {
    ColdStart.warmNetty();
  }

  @Test
  @DisplayName("callbacks, calls started and ended by reason, the state funnel and failures are counted exactly")
  void scriptedCalls(Vertx vertx) {
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(200)
        .withCallee("sip:internet@pbx.test", new Callee.Answer(100, 200)));
    simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("press 2; press 1")).await();
    simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("hangup")).await();
    simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("press 3; press 7654321#")).await();
    simulator.close();
    WebClient client = WebClient.create(vertx);
    new FakeCall(client, server.port()).raw("/getIvrCommand", "application/json", "{");

    String metrics = client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    server.stop().await();
    assertTrue(metrics.contains("callflow_calls_started_total{flow=\"test-line\"} 3.0"), metrics);
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"callerHangup\",state=\"main\"} 1.0"), metrics);
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"transferred\",state=\"goodbye\"} 1.0"), metrics);
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"hangup\",state=\"goodbye\"} 1.0"), metrics);
    assertTrue(metrics.matches("(?s).*callflow_states_entered_total\\{flow=\"test-line\",state=\"main\",version=\"[0-9a-f]{12}\"} 3\\.0.*"), metrics);
    assertTrue(metrics.matches("(?s).*callflow_states_entered_total\\{flow=\"test-line\",state=\"internet\",version=\"[0-9a-f]{12}\"} 1\\.0.*"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_count{callback=\"newCall\",status=\"200\"} 3"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_count{callback=\"getIvrCommand\",status=\"400\"} 1"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_bucket{callback=\"getIvrCommand\",status=\"200\""), metrics);
    assertTrue(metrics.contains("callflow_flow_reloads_total{outcome=\"accepted\"} 2.0"), metrics);
    assertTrue(metrics.contains("callflow_flows_loaded 2.0"), metrics);
    assertFalse(metrics.contains("7654321"), "collected digits never reach metrics");
    assertEveryFamilyHasHelp(metrics);
  }

  @Test
  @DisplayName("before any call: every family has HELP text, the JVM, process and build are there, and the series alerts watch are at zero")
  void fromStart(Vertx vertx) {
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    WebClient client = WebClient.create(vertx);
    String metrics = client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    server.stop().await();

    assertTrue(assertEveryFamilyHasHelp(metrics) > 40, "families");
    for (String family : List.of("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds", "process_files_open_files",
        "jvm_info")) {
      assertTrue(metrics.contains("# TYPE " + family + " "), family + " in\n" + metrics);
    }
    assertTrue(metrics.matches("(?s).*callflow_build_info\\{java=\"[^\"]+\",version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} 1.*"), metrics);
    assertTrue(metrics.contains("# TYPE callflow_callbacks_unauthorized_total counter"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_unauthorized_total 0.0"), metrics);
    assertTrue(metrics.contains("callflow_failsafe_total{flow=\"test-line\"} 0.0"), metrics);
    assertTrue(metrics.contains("callflow_calls_started_total{flow=\"test-line\"} 0.0"), metrics);
    assertTrue(metrics.contains("callflow_store_failures_total 0.0"), metrics);
    assertTrue(metrics.contains("callflow_store_seconds_count{operation=\"update\",outcome=\"error\"} 0"), metrics);
    assertTrue(metrics.contains("callflow_mediaservice_breaker_open 0.0"), metrics);
    assertTrue(metrics.contains("callflow_ready 1.0"), metrics);
    for (String operation : io.callflow.mediaservice.MediaserviceClient.OPERATIONS) {
      assertTrue(metrics.contains("callflow_mediaservice_requests_seconds_count{operation=\"" + operation
          + "\",outcome=\"ok\"} 0"), operation + " in\n" + metrics);
    }
    assertEquals(-1, metrics.indexOf("# TYPE callflow_callbacks_unauthorized gauge"));
  }

  /** Every family's HELP line has text; returns how many families there are. */
  private static int assertEveryFamilyHasHelp(String metrics) {
    Matcher help = Pattern.compile("(?m)^# HELP (\\S+)(.*)$").matcher(metrics);
    int families = 0;
    while (help.find()) {
      families++;
      assertFalse(help.group(2).isBlank(), "HELP text for " + help.group(1));
    }
    return families;
  }
}
