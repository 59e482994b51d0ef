package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** server.warmupSeconds: synthetic calls before /ready says 200, and none of them seen as real calls. */
@ExtendWith(VertxExtension.class)
class WarmUpTest {

  @Test
  @DisplayName("a fresh instance answers /ready 503 'warming up' while synthetic calls run, then 200; no call counted")
  void warmsBeforeReady(Vertx vertx) throws Exception {
    AppConfig base = TestConfig.create("bench/flows", "bench");
    AppConfig.Server server = base.server();
    AppConfig config = TestConfig.with(base, new AppConfig.Server(server.host(), server.port(), server.basePath(),
        server.instances(), server.bodyLimitBytes(), server.callbackDeadlineMillis(), 6));
    Server callflow = Server.start(vertx, config, Clock.systemUTC()).await();
    WebClient client = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> first = client.get(callflow.port(), "127.0.0.1", "/ready").send().await();
      assertEquals(503, first.statusCode());
      assertEquals("warming up", first.bodyAsJsonObject().getString("reason"));
      long deadline = System.nanoTime() + 30_000_000_000L;
      int status = 503;
      while (status != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        status = client.get(callflow.port(), "127.0.0.1", "/ready").send().await().statusCode();
      }
      assertEquals(200, status, "ready once warm, at most server.warmupSeconds after start");
      String metrics = client.get(callflow.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
      Matcher warmed = Pattern.compile("callflow_warmup_callbacks (\\d+)").matcher(metrics);
      assertTrue(warmed.find(), metrics);
      assertTrue(Double.parseDouble(warmed.group(1)) > 0, "synthetic callbacks ran: " + warmed.group());
      assertTrue(metrics.contains("callflow_calls_started_total{flow=\"bench\"} 0.0"),
          "synthetic calls are not counted as calls: " + metrics);
      Matcher answered = Pattern.compile("callflow_callbacks_seconds_count\\{[^}]*} (\\S+)").matcher(metrics);
      while (answered.find()) {
        assertEquals(0.0, Double.parseDouble(answered.group(1)), "nor as callbacks: " + answered.group());
      }
    } finally {
      callflow.stop().await();
    }
  }
}
