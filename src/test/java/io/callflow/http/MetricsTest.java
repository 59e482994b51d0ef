package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /metrics after a scripted set of calls: each value is the one those calls must produce. */
@ExtendWith(VertxExtension.class)
class MetricsTest {

  @Test
  @DisplayName("callbacks, calls started and ended by reason, the state funnel and failures are counted exactly")
  void scriptedCalls(Vertx vertx) {
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(CallFlowHttpTest.MONDAY_10)).await();
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
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"transferred\",state=\"\"} 1.0"), metrics);
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"hangup\",state=\"goodbye\"} 1.0"), metrics);
    assertTrue(metrics.matches("(?s).*callflow_states_entered_total\\{flow=\"test-line\",state=\"main\",version=\"[0-9a-f]{12}\"} 3\\.0.*"), metrics);
    assertTrue(metrics.matches("(?s).*callflow_states_entered_total\\{flow=\"test-line\",state=\"internet\",version=\"[0-9a-f]{12}\"} 1\\.0.*"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_count{callback=\"newCall\",status=\"200\"} 3"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_count{callback=\"getIvrCommand\",status=\"400\"} 1"), metrics);
    assertTrue(metrics.contains("callflow_callbacks_seconds_bucket{callback=\"getIvrCommand\",status=\"200\""), metrics);
    assertTrue(metrics.contains("callflow_flow_reloads_total{outcome=\"accepted\"} 2.0"), metrics);
    assertTrue(metrics.contains("callflow_flows_loaded 2.0"), metrics);
    assertFalse(metrics.contains("7654321"), "collected digits never reach metrics");
  }
}
