package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.StopOutcome;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shutdown: readiness turns false first, calls in flight are answered, and only new connections are refused. */
@ExtendWith(VertxExtension.class)
class GracefulShutdownIT {

  @Test
  @DisplayName("/health and /ready answer; during the drain /ready is 503 while callbacks are still answered")
  void readiness(Vertx vertx) {
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    WebClient client = WebClient.create(vertx);
    assertEquals("{\"status\":\"up\"}", client.get(server.port(), "127.0.0.1", "/health").send().await().bodyAsString());
    HttpResponse<Buffer> ready = client.get(server.port(), "127.0.0.1", "/ready").send().await();
    assertEquals(200, ready.statusCode());
    assertEquals(2, ready.bodyAsJsonObject().getInteger("flows"));

    Future<Void> stopped = server.shutdown(Duration.ofMillis(800));
    HttpResponse<Buffer> draining = client.get(server.port(), "127.0.0.1", "/ready").send().await();
    assertEquals(503, draining.statusCode());
    assertEquals("shutting down", draining.bodyAsJsonObject().getString("reason"));
    FakeCall call = new FakeCall(client, server.port());
    assertEquals("ivr", call.newCall(CALLER, LINE).getString("action"));
    stopped.await();
    assertTrue(client.get(server.port(), "127.0.0.1", "/health").send()
        .transform(result -> Future.succeededFuture(result.failed())).await(), "no longer listening");
  }

  @Test
  @DisplayName("shutting down under load loses no accepted callback: failures are only refused connections")
  void underLoad(Vertx vertx) throws Exception {
    Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(MONDAY_10)).await();
    Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(1000));
    for (int i = 0; i < 5; i++) {
      // Warm: the first calls load classes and compile, and would make the timing below meaningless.
      simulator.inbound(CALLER, LINE, CallerScript.parse("press 3; press 1234567#")).await();
    }
    List<Future<Transcript>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(simulator.inbound(CALLER, LINE,
          CallerScript.parse("press 3; press 1234567#")));
      Thread.sleep(5);
      if (i == 100) {
        server.shutdown(Duration.ofMillis(300));
      }
    }
    StopOutcome outcome = StopOutcome.of(calls);
    simulator.close();
    System.out.printf("shutdown under load: %d calls, %d completed before the stop, %d lost%n", outcome.calls(),
        outcome.completed(), outcome.lost().size());
    assertTrue(outcome.completed() > 0, "some calls finished before the shutdown");
    assertEquals(List.of(), outcome.lost());
  }
}
