package io.callflow.sim;

import static io.callflow.sim.FakeApp.dtmf;
import static io.callflow.sim.FakeApp.menu;
import static io.callflow.sim.FakeApp.play;
import static io.callflow.sim.FakeApp.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulator's mediaservice REST API, driven the way callflow will drive it, against a fake callflow. */
@ExtendWith(VertxExtension.class)
class RestApiTest {

  static final String DOMAIN = "customer47.prod-eu-north-1.iotcomms.io";
  static final String TOKEN = "api-token-1";

  private FakeApp app;
  private Simulator simulator;
  private MediaserviceApi api;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    app = FakeApp.start(vertx);
    simulator = new Simulator(vertx, SimConfig.local(app.port()).compressed(100)
        .withCallee("sip:+46700000001@trunk", new Callee.Answer(1000, 600_000))
        .withCallee("sip:busy@trunk", new Callee.Busy()));
    api = simulator.startApi(0, MediaserviceApi.tokens(TOKEN), MediaserviceApi.scripts(Map.of("*", "press 5"))).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    simulator.close();
    app.close();
  }

  private HttpResponse<Buffer> post(String operation, String authorization, JsonObject body) {
    HttpRequest<Buffer> request = client.post(api.port(), "127.0.0.1", "/" + DOMAIN + "/" + operation);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request.sendJsonObject(body).await();
  }

  private HttpResponse<Buffer> post(String operation, JsonObject body) {
    return post(operation, "Bearer " + TOKEN, body);
  }

  private static Transcript ended(Future<Transcript> call) throws Exception {
    return call.await(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a missing or wrong bearer token is refused with 401 and success false, and nothing starts")
  void tokens() {
    JsonObject body = new JsonObject().put("destAddr", "sip:+46700000001@trunk");
    assertEquals(401, post("placeivrcall", null, body).statusCode());
    assertEquals(401, post("placeivrcall", "Basic dXNlcjpwdw==", body).statusCode());
    HttpResponse<Buffer> wrong = post("placeivrcall", "Bearer not-it", body);
    assertEquals(401, wrong.statusCode());
    assertEquals(new JsonObject().put("success", false), wrong.bodyAsJsonObject());
    assertEquals(List.of(), api.placedCalls());
    assertEquals(List.of(401, 401, 401), api.requests().stream().map(MediaserviceApi.Request::status).toList());
  }

  @Test
  @DisplayName("placeivrcall: success, then ringing, callAnswered and the IVR loop with the callee's keys, all carrying the reference")
  void placeCall() throws Exception {
    app.commands(menu(dtmf(1, null, true), say("You have a delivery. Press 5 to confirm.")));
    JsonObject reference = new JsonObject().put("callId", "out-1").put("flow", "delivery");
    HttpResponse<Buffer> placed = post("placeivrcall", new JsonObject().put("destAddr", "sip:+46700000001@trunk")
        .put("sipFrom", "+46812345").put("displayName", "Deliveries").put("maxRingTime", 20)
        .put("sessionReferenceId", reference).put("xHeaders", new JsonObject()));
    assertEquals(200, placed.statusCode());
    assertEquals(new JsonObject().put("success", true), placed.bodyAsJsonObject());

    Transcript t = ended(api.placedCalls().get(0));
    assertEquals(List.of("callNotify", "callAnswered", "getIvrCommand", "getIvrCommand", "callEvent", "sessionCompleted"),
        app.names());
    assertTrue(app.received().stream().allMatch(r -> reference.equals(r.body().getJsonObject("sessionReferenceId"))));
    assertEquals("ringing", app.nth("callNotify", 1).getString("event"));
    assertFalse(app.nth("callAnswered", 1).containsKey("sessionId"));
    assertEquals("+46812345", app.nth("callAnswered", 1).getString("callingPartyNumber"));
    assertEquals("5", app.nth("getIvrCommand", 2).getJsonObject("dtmfParams").getString("dtmfMatch"));
    assertEquals(List.of("5"), t.pressed());
    assertEquals("ivr-hangup", t.outcome());
    assertEquals(DOMAIN, api.requests().get(0).domain());
  }

  @Test
  @DisplayName("a placed call nobody answers gives calledPartyFailure then sessionCompleted; a bad destination is a 400")
  void placeCallBusy() throws Exception {
    assertEquals(400, post("placeivrcall", new JsonObject().put("destAddr", "+4670")).statusCode());
    assertEquals(200, post("placeivrcall", new JsonObject().put("destAddr", "sip:busy@trunk")
        .put("sessionReferenceId", new JsonObject().put("callId", "out-2"))).statusCode());
    Transcript t = ended(api.placedCalls().get(0));
    assertEquals(List.of("callNotify", "callEvent", "sessionCompleted"), app.names());
    assertEquals("calledPartyFailure", app.nth("callEvent", 1).getString("event"));
    assertEquals(486, app.nth("callEvent", 1).getInteger("sipResponseCode"));
    assertEquals("failed:486", t.outcome());
  }

  @Test
  @DisplayName("interruptivrcommand with the running command's replyId ends its wait at once; any other replyId is refused")
  void interrupt() throws Exception {
    app.commands(play(say("Please hold.")).put("getIVRCommandAfter", 600)
        .put("backgroundPrompt", new JsonObject().put("fileName", "hold-music")));
    Future<Transcript> call = simulator.inbound("+46701234567", "+46800000001", "");
    JsonObject waiting = app.nth("getIvrCommand", 1);
    String sessionId = waiting.getString("sessionId");
    assertEquals(404, post("interruptivrcommand", new JsonObject().put("sessionId", "nobody")
        .put("replyId", waiting.getString("replyId"))).statusCode());
    HttpResponse<Buffer> wrong = post("interruptivrcommand", new JsonObject().put("sessionId", sessionId)
        .put("replyId", "eyJ.not.it"));
    assertEquals(409, wrong.statusCode());
    assertEquals(new JsonObject().put("success", false), wrong.bodyAsJsonObject());
    long sent = System.nanoTime();
    assertEquals(200, post("interruptivrcommand", new JsonObject().put("sessionId", sessionId)
        .put("replyId", waiting.getString("replyId"))).statusCode());
    app.nth("getIvrCommand", 2);
    // Uninterrupted, the 600 s wait would take 6 s of real time.
    assertTrue(System.nanoTime() - sent < 3_000_000_000L, "the next getIvrCommand came at once");
    Transcript t = ended(call);
    assertEquals(List.of(""), t.details("interrupted"));
    assertEquals(List.of("hold-music"), t.details("background"));
    assertEquals(List.of("Please hold.", "Goodbye."), t.heard());
    assertFalse(app.nth("getIvrCommand", 2).containsKey("dtmfParams"));
  }

  @Test
  @DisplayName("start and stop recording need the callAnswered replyId; recordingReady reports success, or failure when switched")
  void recording() throws Exception {
    app.on("newCall", body -> FakeApp.call("sip:+46700000001@trunk", 20));
    Future<Transcript> call = simulator.inbound("+46701234567", "+46800000001", "");
    JsonObject answered = app.nth("callAnswered", 1);
    JsonObject connection = new JsonObject().put("connectionId", answered.getString("connectionId"))
        .put("replyId", answered.getString("replyId"));
    assertEquals(409, post("startrecording", connection.copy().put("replyId", "eyJ.other.one")).statusCode());
    assertEquals(404, post("startrecording", connection.copy().put("connectionId", "gone")).statusCode());
    assertEquals(409, post("stoprecording", connection).statusCode(), "nothing recording yet");
    assertEquals(200, post("startrecording", connection.copy().put("recordingFileName", "rec-1.wav")).statusCode());
    assertEquals(200, post("stoprecording", connection).statusCode());
    JsonObject ready = app.nth("recordingReady", 1);
    assertEquals("recordingSuccessful", ready.getString("event"));
    assertEquals("rec-1.wav", ready.getString("recordingFileName"));
    assertEquals(answered.getString("connectionId"), ready.getString("connectionId"));
    assertTrue(ready.getLong("fileSize") >= 0);
    assertEquals(app.nth("newCall", 1).getString("sessionId"), ready.getString("sessionId"));

    api.failRecordings(true);
    assertEquals(200, post("startrecording", connection.copy().put("recordingFileName", "rec-2.wav")).statusCode());
    assertEquals(200, post("stoprecording", connection).statusCode());
    JsonObject failed = app.nth("recordingReady", 2);
    assertEquals("recordingFailed", failed.getString("event"));
    assertTrue(failed.containsKey("reason"));

    // The operator ends the call: the callee leaves, callflow answers drop, the session completes.
    JsonObject hangup = new JsonObject().put("participantId", answered.getString("calleeParticipantId"))
        .put("replyId", answered.getString("replyId")).put("sessionId", app.nth("newCall", 1).getString("sessionId"));
    assertEquals(409, post("hangupparticipant", hangup.copy().put("replyId", "eyJ.other.one")).statusCode());
    assertEquals(404, post("hangupparticipant", hangup.copy().put("participantId", "stranger")).statusCode());
    assertEquals(200, post("hangupparticipant", hangup).statusCode());
    Transcript t = ended(call);
    assertEquals("calledPartyDrop", app.nth("callEvent", 1).getString("event"));
    assertEquals("dropped", t.outcome());
    assertEquals(List.of("started rec-1.wav", "rec-1.wav ready", "started rec-2.wav", "rec-2.wav failed"),
        t.details("recording"));
  }

  @Test
  @DisplayName("hangupparticipant on the caller reports callingPartyDrop and completes the session")
  void hangUpCaller() throws Exception {
    app.on("newCall", body -> FakeApp.call("sip:+46700000001@trunk", 20));
    Future<Transcript> call = simulator.inbound("+46701234567", "+46800000001", "");
    JsonObject answered = app.nth("callAnswered", 1);
    assertEquals(200, post("hangupparticipant", new JsonObject()
        .put("participantId", answered.getString("callerParticipantId")).put("replyId", answered.getString("replyId"))
        .put("sessionId", app.nth("newCall", 1).getString("sessionId"))).statusCode());
    Transcript t = ended(call);
    assertEquals("callingPartyDrop", app.nth("callEvent", 1).getString("event"));
    assertEquals("api-hangup", t.outcome());
    assertEquals(List.of("newCall", "callNotify", "callAnswered", "callEvent", "sessionCompleted"), app.names());
  }

  @Test
  @DisplayName("operations on a session or connection the simulator does not know answer 404")
  void unknownSessions() {
    assertEquals(404, post("interruptivrcommand", new JsonObject().put("sessionId", "nope").put("replyId", "r"))
        .statusCode());
    assertEquals(404, post("hangupparticipant", new JsonObject().put("sessionId", "nope").put("participantId", "p")
        .put("replyId", "r")).statusCode());
    assertEquals(404, post("stoprecording", new JsonObject().put("connectionId", "nope").put("replyId", "r"))
        .statusCode());
    assertEquals(List.of(404, 404, 404), api.requests().stream().map(MediaserviceApi.Request::status).toList());
  }
}
