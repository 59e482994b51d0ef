package io.callflow.report;

import static io.callflow.Fixtures.freePort;
import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;

import io.callflow.config.ReportConfig;
import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.callflow.config.AppConfig;
import io.callflow.http.MutableClock;
import io.callflow.http.Server;
import io.callflow.http.TestConfig;
import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Metrics after a scripted set of calls, and a secret PIN that must appear in no log, metric or export. */
@ExtendWith(VertxExtension.class)
class ObservabilityTest {
  static final String PIN_LINE = "+46850002000";
  static final String PIN = "97531";

  @TempDir
  Path dir;

  private Server start(Vertx vertx, List<ReportConfig.Exporter> exporters) throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.copy(Path.of("src/test/resources/flows/test-line.json"), flows.resolve("test-line.json"));
    Files.copy(Path.of("flows/pin-demo.json"), flows.resolve("pin-demo.json"));
    AppConfig config = TestConfig.withReport(TestConfig.create(flows.toString(), null),
        new ReportConfig(dir.resolve("outbox").toString(), 1, 50, 200, exporters));
    return Server.start(vertx, config, new MutableClock(MONDAY_10)).await();
  }

  private static Transcript call(Vertx vertx, Server server, String to, String script) {
    Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(200)
        .withCallee("sip:internet@pbx.test", new Callee.Answer(100, 200)));
    try {
      return simulator.inbound(CALLER, to, CallerScript.parse(script)).await();
    } finally {
      simulator.close();
    }
  }

  private static boolean has(String metrics, String regex) {
    return metrics.lines().anyMatch(line -> line.matches(regex));
  }

  @Test
  @DisplayName("no input, invalid, where calls ended and how, live calls, store latency: each has the scripted value")
  void funnelAndLiveCalls(Vertx vertx) throws Exception {
    Server server = start(vertx, List.of());
    WebClient client = WebClient.create(vertx);
    try {
      call(vertx, server, LINE, "silent; press 2; press 1");
      call(vertx, server, LINE, "press 9; hangup");
      call(vertx, server, LINE, "press 3; press 12#; hangup");
      String waiting = client.post(server.port(), "127.0.0.1", "/newCall").sendJsonObject(new JsonObject()
          .put("sessionId", UUID.randomUUID().toString()).put("callingParty", CALLER).put("calledParty", LINE)).await()
          .bodyAsString();
      assertTrue(waiting.contains("\"action\":\"ivr\""), waiting);

      String version = "version=\"[0-9a-f]{12}\"";
      String flow = "flow=\"test-line\"";
      eventually("the reaper counted the one call still waiting in the menu", () -> client
          .get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString().contains("callflow_calls_live 1.0"));
      String metrics = client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
      assertTrue(has(metrics, "callflow_states_no_input_total\\{" + flow + ",state=\"main\"," + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_invalid_total\\{" + flow + ",state=\"main\"," + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_invalid_total\\{" + flow + ",state=\"account\"," + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_ended_total\\{" + flow + ",reason=\"transferred\",state=\"internet\","
          + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_ended_total\\{" + flow + ",reason=\"callerHangup\",state=\"main\","
          + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_ended_total\\{" + flow + ",reason=\"callerHangup\",state=\"account\","
          + version + "} 1\\.0"), metrics);
      assertTrue(has(metrics, "callflow_states_entered_total\\{" + flow + ",state=\"main\"," + version + "} 4\\.0"), metrics);
      assertTrue(has(metrics, "callflow_store_seconds_count\\{operation=\"update\",outcome=\"ok\"} [1-9][0-9]*"), metrics);
      assertTrue(has(metrics, "callflow_store_seconds_count\\{operation=\"reap\",outcome=\"ok\"} [1-9][0-9]*"), metrics);
      assertFalse(metrics.contains("callflow_export_backlog"), "no exporter, no backlog gauge");
    } finally {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("a secret PIN never reaches the logs (even at debug), the metrics, a JSON-lines file, a webhook or CX")
  void secretsStayInside(Vertx vertx) throws Exception {
    int port = freePort();
    Receiver receiver = Receiver.start(vertx, port, n -> 202);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    Path jsonl = dir.resolve("activity.jsonl");
    Server server = null;
    try {
      server = start(vertx, List.of(
          new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 20, 2),
          new ReportConfig.Webhook("hook", "http://127.0.0.1:" + port + "/hook", Map.of()),
          new ReportConfig.Expertflow("cx", "http://127.0.0.1:" + port, "1218", "ivr-1", "callflow",
              Map.of("callVariable1", "pin"))));
      Transcript wrong = call(vertx, server, PIN_LINE, "press " + PIN + "#");
      Transcript invalid = call(vertx, server, PIN_LINE, "press 975#; press " + PIN + "1#");
      assertTrue(wrong.collected().get(0).endsWith(" " + PIN), "the PIN was entered: " + wrong);
      eventually("both records at both receivers", () -> receiver.accepted().size() == 4);
      eventually("both records in the file", () -> ExportDeliveryTest.lines(jsonl).size() == 2);
      String metrics = WebClient.create(vertx).get(server.adminPort(), "127.0.0.1", "/metrics").send().await()
          .bodyAsString();
      server.stop().await();
      server = null;

      String logText = logs.list.stream().map(e -> e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
          .collect(Collectors.joining("\n"));
      String posted = receiver.posts().stream().map(p -> p.body().encode()).collect(Collectors.joining("\n"));
      String file = String.join("\n", ExportDeliveryTest.lines(jsonl));
      assertTrue(logText.contains("call.ended callId=" + wrong.sessionId()), "the logs were captured: " + logText);
      assertTrue(file.contains("\"pin\":\"***\""), file);
      assertTrue(file.contains("\"kind\":\"invalid\",\"detail\":\"***\""), "the too-short try is masked: " + file);
      assertTrue(posted.contains("\"value\":\"***\""), posted);
      for (String secret : List.of(PIN, PIN + "1")) {
        assertFalse(logText.contains(secret), "log: " + secret);
        assertFalse(metrics.contains(secret), "metrics: " + secret);
        assertFalse(file.contains(secret), "JSON lines: " + secret);
        assertFalse(posted.contains(secret), "webhook and CX: " + secret);
      }
      assertTrue(invalid.collected().size() >= 1, invalid.toString());
    } finally {
      root.setLevel(before);
      root.detachAppender(logs);
      if (server != null) {
        server.stop().await();
      }
      receiver.stop();
    }
  }
}
