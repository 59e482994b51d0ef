package io.callflow.report;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callflow.config.AppConfig;
import io.callflow.config.ReportConfig;
import io.callflow.http.MutableClock;
import io.callflow.http.Server;
import io.callflow.http.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One secrets policy through HTTP: a secret PIN and a variable made from it, in the admin API, logs and records. */
@ExtendWith(VertxExtension.class)
class SecretsThroughHttpTest {

  static final String LINE = "+46850003000";
  static final String PIN = "918273";
  static final String FLOW = """
      {"id": "derived", "numbers": ["%s"], "start": "pin",
       "states": {
         "pin": {"type": "collect", "prompt": {"say": "Your PIN?"}, "variable": "pin", "minDigits": 4,
                 "maxDigits": 8, "secret": true, "next": "derive"},
         "derive": {"type": "set", "vars": {"code": "x-${pin}", "plain": "open"}, "next": "confirm"},
         "confirm": {"type": "menu", "prompt": {"say": "Press 1 to hang up."}, "options": {"1": "bye"}},
         "bye": {"type": "hangup", "prompt": {"say": "Goodbye."}}
       }}
      """.formatted(LINE);

  private static JsonObject post(WebClient client, Server server, String path, JsonObject body) {
    var response = client.post(server.port(), "127.0.0.1", path).sendJsonObject(body).await();
    assertEquals(200, response.statusCode(), path + " " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** A getIvrCommand with the caller's {@code digits} (null: the first, with none). */
  private static JsonObject ivr(String sessionId, JsonObject reference, String digits) {
    JsonObject body = new JsonObject().put("sessionId", sessionId).put("replyId", UUID.randomUUID().toString())
        .put("sessionReferenceId", reference);
    if (digits != null) {
      body.put("dtmfParams", new JsonObject().put("dtmfMatch", digits).put("reason", "terminationKey"))
          .put("dtmfBuffer", digits + "#");
    }
    return body;
  }

  @TempDir
  Path dir;

  @Test
  @DisplayName("a secret collect and a set made from it show as *** in the admin API, the logs and the records")
  void derivedSecretMasked(Vertx vertx) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("derived.json"), FLOW);
    Path jsonl = dir.resolve("activity.jsonl");
    AppConfig config = TestConfig.withReport(TestConfig.create(flows.toString(), null), new ReportConfig(
        dir.resolve("outbox").toString(), 1, 50, 200, List.of(new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 20, 2))));
    Server server = Server.start(vertx, config, new MutableClock(MONDAY_10)).await();
    WebClient client = WebClient.create(vertx);
    try {
      String sessionId = UUID.randomUUID().toString();
      JsonObject reference = post(client, server, "/newCall", new JsonObject().put("sessionId", sessionId)
          .put("callingParty", "+46701234567").put("calledParty", LINE)).getJsonObject("sessionReferenceId");
      post(client, server, "/getIvrCommand", ivr(sessionId, reference, null));
      post(client, server, "/getIvrCommand", ivr(sessionId, reference, PIN));
      JsonObject admin = client.get(server.adminPort(), "127.0.0.1", "/api/calls/" + sessionId)
          .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send().await().bodyAsJsonObject();
      post(client, server, "/getIvrCommand", ivr(sessionId, reference, "1"));
      post(client, server, "/sessionCompleted", new JsonObject().put("sessionId", sessionId)
          .put("sessionReferenceId", reference).put("httpTransactionId", "done-1").put("reason", "normal"));
      eventually("the record in the file", () -> ExportDeliveryTest.lines(jsonl).size() == 1);
      String record = ExportDeliveryTest.lines(jsonl).get(0);
      server.stop().await();
      server = null;
      String logText = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));

      JsonObject variables = admin.getJsonObject("variables");
      assertEquals(new JsonObject().put("pin", "***").put("code", "***").put("plain", "open"), variables,
          admin.encode());
      assertTrue(record.contains("\"pin\":\"***\"") && record.contains("\"code\":\"***\""), record);
      assertTrue(record.contains("\"detail\":\"pin=***\""), record);
      assertTrue(logText.contains("call.ended callId=" + sessionId), "the logs were captured: " + logText);
      for (String shown : List.of(admin.encode(), record, logText)) {
        assertFalse(shown.contains(PIN), shown);
        assertFalse(shown.contains("*****"), "a mask that reveals the length: " + shown);
      }
    } finally {
      root.setLevel(before);
      root.detachAppender(logs);
      if (server != null) {
        server.stop().await();
      }
    }
  }
}
