package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callflow.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** server.warmupSeconds: synthetic calls before /ready says 200, and none of them seen as real calls. */
@ExtendWith(VertxExtension.class)
class WarmUpTest {

  @Test
  @DisplayName("a fresh instance answers /ready 503 'warming up' while synthetic calls run, then 200; no call counted, "
      + "no synthetic call logged, and real calls logged at the level they always had, while warming too")
  void warmsBeforeReady(Vertx vertx) throws Exception {
    ch.qos.logback.classic.Logger calls = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("callflow.call");
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    root.addAppender(lines);
    calls.setLevel(Level.INFO);
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
      assertEquals(Level.INFO, calls.getLevel(), "while warming too: the warmed code logs as real calls will");
      client.post(callflow.port(), "127.0.0.1", "/newCall").sendJsonObject(new JsonObject()
          .put("sessionId", "real-early").put("callingParty", "+46701234567").put("calledParty", "+46850009999"))
          .await();
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
      assertTrue(metrics.contains("callflow_calls_started_total{flow=\"bench\"} 1.0"),
          "synthetic calls are not counted as calls, the real one is: " + metrics);
      Matcher answered = Pattern.compile("callflow_callbacks_seconds_count\\{[^}]*} (\\S+)").matcher(metrics);
      double callbacks = 0;
      while (answered.find()) {
        callbacks += Double.parseDouble(answered.group(1));
      }
      assertEquals(1.0, callbacks, "nor as callbacks: " + metrics);
      assertEquals(List.of(), callLines(lines).stream().filter(line -> line.contains("callId=warmup-")).toList(),
          "thousands of synthetic calls ran, none of them in the log");
      assertTrue(callLines(lines).stream().anyMatch(line -> line.startsWith("call.started callId=real-early")),
          "a real call served while warming is logged: " + callLines(lines));

      client.post(callflow.port(), "127.0.0.1", "/newCall").sendJsonObject(new JsonObject()
          .put("sessionId", "real-1").put("callingParty", "+46701234567").put("calledParty", "+46850009999")).await();
      assertTrue(callLines(lines).stream().anyMatch(line -> line.startsWith("call.started callId=real-1")),
          "the first real call is logged: " + callLines(lines));
    } finally {
      callflow.stop().await();
      root.detachAppender(lines);
      calls.setLevel(null);
    }
  }

  private static List<String> callLines(ListAppender<ILoggingEvent> lines) {
    synchronized (lines.list) {
      return lines.list.stream().filter(event -> event.getLoggerName().equals("callflow.call"))
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
