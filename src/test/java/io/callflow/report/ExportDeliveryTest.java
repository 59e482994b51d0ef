package io.callflow.report;

import static io.callflow.Eventually.eventually;
import static io.callflow.Fixtures.freePort;
import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;

import io.callflow.config.ReportConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Export end to end: real calls through the simulator, records delivered to stub receivers on loopback. */
@ExtendWith(VertxExtension.class)
class ExportDeliveryTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private WebClient client;
  private Server server;
  private final MutableClock clock = new MutableClock(MONDAY_10);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.stop().await();
    }
  }

  private Server start(List<ReportConfig.Exporter> exporters) {
    AppConfig config = TestConfig.withReport(TestConfig.create("src/test/resources/flows", null),
        new ReportConfig(dir.resolve("outbox").toString(), 1, 50, 200, exporters));
    return Server.start(vertx, config, clock).await();
  }

  private List<Transcript> calls(String... scripts) {
    Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(200)
        .withCallee("sip:internet@pbx.test", new Callee.Answer(100, 200)));
    try {
      return java.util.Arrays.stream(scripts)
          .map(script -> simulator.inbound(CALLER, LINE, CallerScript.parse(script)).await()).toList();
    } finally {
      simulator.close();
    }
  }

  private String metrics() {
    return client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
  }

  private static ReportConfig.Expertflow cx(int port) {
    return new ReportConfig.Expertflow("cx", "http://127.0.0.1:" + port, "1218", "f1370ff7-ivr", "callflow-test",
        Map.of("callVariable1", "account"));
  }

  @Test
  @DisplayName("Expertflow down, then 500, then 202, with a callflow restart between: each record arrives exactly once")
  void downThenFailingThenAccepting() throws Exception {
    int port = freePort();
    server = start(List.of(cx(port)));
    List<Transcript> first = calls("press 2; press 1", "hangup", "press 3; press 7654321#");
    eventually("three records wait in the outbox while the receiver is down",
        () -> metrics().contains("callflow_export_backlog{exporter=\"cx\"} 3.0")
            && metrics().contains("callflow_export_failures_total{exporter=\"cx\",reason=\"retry\"}"));
    server.stop().await();
    server = null;

    Receiver receiver = Receiver.start(vertx, port, n -> n < 4 ? 500 : 202);
    try {
      server = start(List.of(cx(port)));
      List<Transcript> second = calls("hangup");
      eventually("all four records accepted", () -> receiver.accepted().size() >= 4);
      eventually("the backlog is empty", () -> metrics().contains("callflow_export_backlog{exporter=\"cx\"} 0.0"));

      List<Receiver.Post> accepted = receiver.accepted();
      assertEquals(4, accepted.size(), "each record accepted once: " + receiver.posts());
      assertEquals(4, accepted.stream().map(Receiver.Post::id).distinct().count());
      assertTrue(receiver.posts().stream().filter(p -> p.status() == 500).count() >= 4, "500s were answered");
      Set<String> callIds = accepted.stream().map(p -> p.body().getJsonObject("body").getString("callId"))
          .collect(Collectors.toSet());
      Set<String> expected = java.util.stream.Stream.concat(first.stream(), second.stream())
          .map(Transcript::sessionId).collect(Collectors.toSet());
      assertEquals(expected, callIds);
      for (Receiver.Post post : accepted) {
        assertEquals("/ccm/message/receive", post.path());
        assertEquals(post.id(), post.headers().get("Idempotency-Key"));
        JsonObject header = post.body().getJsonObject("header");
        assertEquals("IVR_AGGREGATED_ACTIVITY", header.getString("intent"));
        assertEquals("IVR_AGGREGATED_ACTIVITY", post.body().getJsonObject("body").getString("type"));
        assertEquals("1218", header.getJsonObject("channelData").getString("serviceIdentifier"));
        assertEquals(CALLER, header.getJsonObject("channelData").getString("channelCustomerIdentifier"));
        assertEquals("IVR", header.getJsonObject("sender").getString("type"));
      }
      Map<String, String> endDirections = accepted.stream().collect(Collectors.toMap(
          p -> p.body().getJsonObject("body").getString("callId"),
          p -> p.body().getJsonObject("body").getString("endDirection")));
      assertEquals("TRANSFER", endDirections.get(first.get(0).sessionId()));
      assertEquals("DIALOG_ENDED", endDirections.get(first.get(1).sessionId()));
      JsonObject transfer = accepted.stream()
          .filter(p -> p.body().getJsonObject("body").getString("callId").equals(first.get(0).sessionId()))
          .findFirst().orElseThrow().body().getJsonObject("body");
      assertEquals("support", transfer.getJsonArray("activities").getJsonObject(0).getString("selection"));
      assertEquals("internet", transfer.getJsonArray("activities").getJsonObject(1).getString("selection"));
    } finally {
      receiver.stop();
    }
  }

  @Test
  @DisplayName("a 400 is a permanent failure: logged with the payload, counted, never sent again")
  void rejectedIsNotRetried() throws Exception {
    int port = freePort();
    Receiver receiver = Receiver.start(vertx, port, n -> n == 0 ? 400 : 200);
    Logger log = (Logger) LoggerFactory.getLogger("callflow.export");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      server = start(List.of(cx(port)));
      List<Transcript> call = calls("hangup");
      eventually("the record was refused", () -> metrics()
          .contains("callflow_export_failures_total{exporter=\"cx\",reason=\"rejected\"} 1.0"));
      // Records go oldest first, one batch at a time: a retry of the refused one would come before the next call's.
      calls("hangup");
      eventually("the next call's record accepted", () -> receiver.accepted().size() == 1);
      assertEquals(2, receiver.posts().size(), receiver.posts().toString());
      eventually("the backlog is empty", () -> metrics().contains("callflow_export_backlog{exporter=\"cx\"} 0.0"));
      String rejected = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith("export.rejected")).findFirst().orElseThrow();
      assertTrue(rejected.contains("cause=HTTP 400") && rejected.contains("payload={")
          && rejected.contains("\"intent\":\"IVR_AGGREGATED_ACTIVITY\"") && rejected.contains(call.get(0).sessionId()),
          rejected);
    } finally {
      log.detachAppender(lines);
      receiver.stop();
    }
  }

  @Test
  @DisplayName("several exporters at once: a JSON-lines file and a webhook with its headers each get every record")
  void jsonlAndWebhook() throws Exception {
    int port = freePort();
    Receiver receiver = Receiver.start(vertx, port, n -> 200);
    try {
      Path jsonl = dir.resolve("records/activity.jsonl");
      server = start(List.of(new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 20, 3),
          new ReportConfig.Webhook("hook", "http://127.0.0.1:" + port + "/records",
              Map.of("Authorization", "Bearer hook-secret"))));
      List<Transcript> done = calls("press 3; press 7654321#", "hangup");
      eventually("two posts", () -> receiver.accepted().size() == 2);
      eventually("two lines", () -> Files.exists(jsonl) && lines(jsonl).size() == 2);

      Set<String> ids = lines(jsonl).stream().map(l -> new JsonObject(l).getString("id")).collect(Collectors.toSet());
      assertEquals(ids, receiver.accepted().stream().map(Receiver.Post::id).collect(Collectors.toSet()));
      Receiver.Post post = receiver.accepted().get(0);
      assertEquals("/records", post.path());
      assertEquals("Bearer hook-secret", post.headers().get("Authorization"));
      assertEquals(post.id(), post.headers().get("Idempotency-Key"));
      JsonObject record = new JsonObject(lines(jsonl).stream()
          .filter(l -> l.contains(done.get(0).sessionId())).findFirst().orElseThrow());
      assertEquals("7654321", record.getJsonObject("variables").getString("account"));
      assertEquals("hangup", record.getJsonObject("ending").getString("kind"));
      assertEquals("goodbye", record.getJsonObject("ending").getString("state"));
      assertEquals("3", record.getJsonArray("menus").getJsonObject(0).getString("selection"));
    } finally {
      receiver.stop();
    }
  }

  @Test
  @DisplayName("records older than report.maxAgeHours are dropped, logged and counted instead of retried forever")
  void expiry() throws Exception {
    server = start(List.of(cx(freePort())));
    calls("hangup", "hangup");
    eventually("two records wait", () -> metrics().contains("callflow_export_backlog{exporter=\"cx\"} 2.0"));
    clock.set(MONDAY_10.plusSeconds(3600 + 1));
    eventually("both expired", () -> metrics().contains("callflow_export_backlog{exporter=\"cx\"} 0.0")
        && metrics().contains("callflow_export_failures_total{exporter=\"cx\",reason=\"expired\"} 2.0"));
  }

  @Test
  @DisplayName("graceful shutdown flushes the outbox: when it completes, every answered call's record is in the file")
  void shutdownFlushes() throws Exception {
    Path jsonl = dir.resolve("activity.jsonl");
    server = start(List.of(new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 20, 3)));
    List<Transcript> done = calls("hangup", "press 3; press 7654321#", "press 9; hangup", "hangup", "hangup");
    server.shutdown(java.time.Duration.ofMillis(1)).await();
    server = null;
    Set<String> written = lines(jsonl).stream().map(l -> new JsonObject(l).getString("callId"))
        .collect(Collectors.toSet());
    assertEquals(done.stream().map(Transcript::sessionId).collect(Collectors.toSet()), written);
    assertEquals(5, lines(jsonl).size(), "each once");
    try (Journal outbox = Journal.open(dir.resolve("outbox/file"), Reporting.SEGMENT_BYTES)) {
      assertEquals(0, outbox.countUnfinished(), "the cursor was moved past all five before the outbox closed");
    }
  }

  @Test
  @DisplayName("a call the reaper ends gets a record too (expired); a repeated /sessionCompleted makes no second one")
  void reapedAndRepeated() throws Exception {
    Path jsonl = dir.resolve("activity.jsonl");
    server = start(List.of(new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 20, 3)));
    String abandoned = java.util.UUID.randomUUID().toString();
    String completed = java.util.UUID.randomUUID().toString();
    for (String call : List.of(abandoned, completed)) {
      client.post(server.port(), "127.0.0.1", "/newCall").sendJsonObject(new JsonObject().put("sessionId", call)
          .put("callingParty", CALLER).put("calledParty", LINE)).await();
    }
    for (int i = 0; i < 2; i++) {
      client.post(server.port(), "127.0.0.1", "/sessionCompleted").sendJsonObject(new JsonObject()
          .put("sessionId", completed).put("reason", "normal")).await();
    }
    eventually("the completed call's record", () -> lines(jsonl).size() == 1);
    clock.set(MONDAY_10.plusSeconds(3600 + 60));
    eventually("the abandoned call's record", () -> lines(jsonl).size() == 2);

    Map<String, JsonObject> records = lines(jsonl).stream().map(JsonObject::new)
        .collect(Collectors.toMap(r -> r.getString("callId"), r -> r));
    assertEquals("expired", records.get(abandoned).getJsonObject("ending").getString("kind"));
    assertEquals("main", records.get(abandoned).getJsonObject("ending").getString("state"));
    assertEquals("completed", records.get(completed).getJsonObject("ending").getString("kind"));
    String metrics = metrics();
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"expired\",state=\"main\"} 1.0"),
        metrics);
    assertTrue(metrics.contains("callflow_calls_ended_total{flow=\"test-line\",reason=\"completed\",state=\"main\"} 1.0"),
        "the repeated /sessionCompleted is not counted again: " + metrics);
    // Records are written oldest first: one for the repeat, handed in before the reaper ran, would be among these.
    assertEquals(2, lines(jsonl).size(), "no record for the repeat");
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
