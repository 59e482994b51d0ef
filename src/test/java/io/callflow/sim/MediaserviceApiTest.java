package io.callflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.server.MutableClock;
import io.callflow.server.Server;
import io.callflow.server.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulator's REST API: bearer tokens, placeivrcall starting a call into callflow, replyId rules. */
@ExtendWith(VertxExtension.class)
class MediaserviceApiTest {

  private Server server;
  private Simulator simulator;
  private MediaserviceApi api;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
        new MutableClock(Instant.parse("2026-11-23T09:00:00Z"))).await();
    simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(100)
        .withCallee("sip:+46700000001@trunk.test", new Callee.Answer(500, 1000)));
    api = new MediaserviceApi(simulator, 0, MediaserviceApi.tokens("good-token"),
        MediaserviceApi.scripts(Map.of("*", "press 1")));
    vertx.deployVerticle(api).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    simulator.close();
    server.stop().await();
  }

  private HttpResponse<Buffer> post(String operation, String token, JsonObject body) {
    var request = client.post(api.port(), "127.0.0.1", "/sim.example.iotcomms.io/" + operation);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.sendJsonObject(body).await();
  }

  @Test
  @DisplayName("a missing or wrong bearer token is refused with 401 and success false")
  void tokens() {
    JsonObject body = new JsonObject().put("destAddr", "sip:+46700000001@trunk.test");
    assertEquals(401, post("placeivrcall", null, body).statusCode());
    HttpResponse<Buffer> wrong = post("placeivrcall", "bad-token", body);
    assertEquals(401, wrong.statusCode());
    assertEquals(new JsonObject().put("success", false), wrong.bodyAsJsonObject());
  }

  @Test
  @DisplayName("placeivrcall answers success, then the callee's side of the call reaches callflow in the vendor's order")
  void placeCall() {
    JsonObject body = new JsonObject().put("destAddr", "sip:+46700000001@trunk.test").put("maxRingTime", 20)
        .put("sessionReferenceId", new JsonObject().put("callId", "not-known-to-callflow"));
    HttpResponse<Buffer> placed = post("placeivrcall", "good-token", body);
    assertEquals(200, placed.statusCode());
    assertEquals(new JsonObject().put("success", true), placed.bodyAsJsonObject());
    Transcript call = api.placedCalls().get(0).await();
    // callflow has no outbound flows yet, so the unknown call gets the failsafe apology and the IVR hangs up.
    assertEquals(List.of("callNotify", "callAnswered", "getIvrCommand", "callEvent", "sessionCompleted"), call.callbacks());
    assertEquals(List.of("Sorry, we cannot take your call."), call.heard());
    assertEquals("ivr-hangup", call.outcome());
    assertEquals(List.of(), call.protocolErrors());
  }

  @Test
  @DisplayName("operations on a session the simulator does not know answer 404; a bad destination 400")
  void unknownSessions() {
    assertEquals(404, post("interruptivrcommand", "good-token",
        new JsonObject().put("sessionId", "nope").put("replyId", "r")).statusCode());
    assertEquals(404, post("hangupparticipant", "good-token",
        new JsonObject().put("sessionId", "nope").put("participantId", "p").put("replyId", "r")).statusCode());
    assertEquals(404, post("stoprecording", "good-token",
        new JsonObject().put("connectionId", "nope").put("replyId", "r")).statusCode());
    assertEquals(400, post("placeivrcall", "good-token", new JsonObject().put("destAddr", "+4670")).statusCode());
    assertTrue(api.requests().stream().allMatch(r -> r.status() >= 400));
  }
}
