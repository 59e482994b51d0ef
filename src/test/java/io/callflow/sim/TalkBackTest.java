package io.callflow.sim;

import static io.callflow.Eventually.eventually;
import static io.callflow.Fixtures.freePort;
import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.RsaKeys;
import io.callflow.config.AppConfig;
import io.callflow.http.MutableClock;
import io.callflow.http.Server;
import io.callflow.http.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * callflow talking back to the mediaservice, end to end against the simulator's REST API: outbound calls, operator
 * hang-up and interrupt, voicemail and recorded forwards, http states, maxDuration, siteBaseUrl, minted API tokens
 * and the IVR-message intake.
 */
@ExtendWith(VertxExtension.class)
class TalkBackTest {

  static final String TOKEN = "api-token-0123456789";
  static final String CALLEE = "sip:+46700000001@trunk.test";

  @TempDir
  Path dir;
  private Vertx vertx;
  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private Simulator simulator;
  private MediaserviceApi api;
  private WebClient client;
  private HttpServer stub;
  /** What the stub answers: "ok", "fail" or "silent". */
  private volatile String stubMode = "ok";
  private final List<JsonObject> stubRequests = new CopyOnWriteArrayList<>();
  private int apiPort;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    stub = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      stubRequests.add(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
          .put("x-call", request.getHeader("X-Call")).put("body", body.toString()));
      switch (stubMode) {
        case "ok" -> vertx.setTimer(50, t -> request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("customer", new JsonObject().put("tier", "gold")).encode()));
        case "fail" -> request.response().setStatusCode(500).end("broken");
        default -> { }
      }
    })).listen(0, "127.0.0.1").await();
    for (String flow : List.of("voicemail", "recorded", "lookup", "limited", "notify")) {
      Files.writeString(dir.resolve(flow + ".json"), Files.readString(Path.of("src/test/resources/talkback", flow + ".json"))
          .replace("STUB_PORT", String.valueOf(stub.actualPort())));
    }
    Files.copy(Path.of("flows/ivr-message.json"), dir.resolve("ivr-message.json"));
    apiPort = freePort();
  }

  @AfterEach
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (server != null) {
      server.stop().await();
    }
    stub.close().await();
  }

  /** callflow with the mediaservice at the simulator's API port, numbers dialled at trunk.test, the stub allowed. */
  private AppConfig config() {
    AppConfig config = TestConfig.withMediaservice(TestConfig.create(dir.toString(), null),
        "http://127.0.0.1:" + apiPort, TOKEN);
    return TestConfig.withOutbound(config, new AppConfig.Outbound("trunk.test", "+46850001000", 30, null),
        new AppConfig.Http(List.of("127.0.0.1"), 65536));
  }

  private void startServer(AppConfig config) {
    server = Server.start(vertx, config, clock).await();
  }

  /** The simulator against callflow, with its REST API on the chosen port. */
  private void startSimulator(UnaryOperator<SimConfig> settings, java.util.function.Predicate<String> tokenOk,
                              Map<String, String> calleeScripts) {
    simulator = new Simulator(vertx, settings.apply(SimConfig.local(server.port()).compressed(100)));
    api = simulator.startApi(apiPort, tokenOk, MediaserviceApi.scripts(calleeScripts)).await();
  }

  private void startBoth(UnaryOperator<SimConfig> settings, Map<String, String> calleeScripts) {
    startServer(config());
    startSimulator(settings, MediaserviceApi.tokens(TOKEN), calleeScripts);
  }

  private HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = client.request(method, server.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private JsonObject placeCall(String to, String flow, JsonObject variables) {
    HttpResponse<Buffer> placed = admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", to).put("flow", flow)
        .put("variables", variables));
    assertEquals(201, placed.statusCode(), placed.bodyAsString());
    return placed.bodyAsJsonObject();
  }

  private JsonObject call(String callId) {
    HttpResponse<Buffer> found = admin(HttpMethod.GET, "/api/calls/" + callId, null);
    assertEquals(200, found.statusCode(), found.bodyAsString());
    return found.bodyAsJsonObject();
  }

  /** Polls the call until it is in {@code phase}. */
  private JsonObject awaitPhase(String callId, String phase) throws InterruptedException {
    return eventually("the call is " + phase, () -> call(callId), call -> phase.equals(call.getString("phase")));
  }

  private Transcript placed(int index) throws Exception {
    eventually("call " + index + " was placed", () -> api.placedCalls().size() > index);
    Transcript transcript = api.placedCalls().get(index).await(20, TimeUnit.SECONDS);
    assertEquals(List.of(), transcript.protocolErrors(), transcript.toString());
    return transcript;
  }

  private Transcript inbound(String to, String script) throws Exception {
    Transcript transcript = simulator.inbound(CALLER, to, script).await(30, TimeUnit.SECONDS);
    assertEquals(List.of(), transcript.protocolErrors(), transcript.toString());
    return transcript;
  }

  private List<String> operations(MediaserviceApi served) {
    return served.requests().stream().map(r -> r.operation() + " " + r.status()).toList();
  }

  @Test
  @DisplayName("an outbound call: placeivrcall with callflow's reference, the callee answers and the flow runs with its variables")
  void outboundAnswered() throws Exception {
    startBoth(sim -> sim.withCallee(CALLEE, new Callee.Answer(1000, 60_000)), Map.of(CALLEE, "press 1"));
    JsonObject created = placeCall("+46700000001", "notify", new JsonObject().put("name", "Ada"));
    assertEquals("dialing", created.getString("phase"));
    assertEquals("outbound", created.getString("direction"));

    Transcript t = placed(0);
    assertEquals(List.of("Hello Ada. Press 1 to confirm.", "Confirmed. Goodbye."), t.heard());
    assertEquals("ivr-hangup", t.outcome());
    MediaserviceApi.Request request = api.requests().get(0);
    assertEquals("placeivrcall", request.operation());
    assertEquals("Bearer " + TOKEN, request.authorization());
    assertEquals("test.example", request.domain());
    assertEquals(CALLEE, request.body().getString("destAddr"));
    assertEquals("+46850001000", request.body().getString("sipFrom"));
    assertEquals(created.getString("callId"), request.body().getJsonObject("sessionReferenceId").getString("callId"));

    JsonObject ended = call(created.getString("callId"));
    assertEquals("ended", ended.getString("phase"));
    assertEquals("hangup:confirmed", ended.getString("endReason"));
    assertEquals(0, admin(HttpMethod.GET, "/api/calls", null).bodyAsJsonObject().getInteger("count"));
  }

  @Test
  @DisplayName("outbound calls nobody answers end as noAnswer, busy ones as busy")
  void outboundNotAnswered() throws Exception {
    startBoth(sim -> sim.withCallee("sip:+46700000002@trunk.test", new Callee.NoAnswer(5000))
        .withCallee("sip:+46700000003@trunk.test", new Callee.Busy()), Map.of());
    String quiet = placeCall("+46700000002", "notify", new JsonObject().put("name", "Bo")).getString("callId");
    assertEquals("failed:480", placed(0).outcome());
    String busy = placeCall("sip:+46700000003@trunk.test", "notify", new JsonObject().put("name", "Cy")).getString("callId");
    assertEquals("failed:486", placed(1).outcome());
    assertEquals("noAnswer", call(quiet).getString("endReason"));
    assertEquals("busy", call(busy).getString("endReason"));
  }

  @Test
  @DisplayName("bad requests to the calls API are 4xx JSON errors and place nothing")
  void badCallRequests() {
    startBoth(sim -> sim, Map.of());
    assertEquals(400, admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "+46700000001").put("flow", "notify"))
        .statusCode(), "the flow needs the variable name");
    assertEquals(404, admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "+46700000001").put("flow", "nope"))
        .statusCode());
    assertEquals(400, admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "call me").put("flow", "notify"))
        .statusCode());
    assertEquals(400, admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "+46700000001").put("flow", "notify")
        .put("variables", new JsonObject().put("name", new JsonObject()))).statusCode());
    assertEquals(400, admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "+46700000001").put("flow", "notify")
        .put("variables", new JsonObject().put("name", "x")).put("maxRingTime", 1000)).statusCode());
    HttpResponse<Buffer> malformed = client.post(server.adminPort(), "127.0.0.1", "/api/calls")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"to\": ")).await();
    assertEquals(400, malformed.statusCode());
    assertTrue(malformed.bodyAsJsonObject().getString("error").startsWith("malformed JSON"));
    assertEquals(401, client.post(server.adminPort(), "127.0.0.1", "/api/calls").sendJsonObject(new JsonObject()).await()
        .statusCode());
    assertEquals(403, client.post(server.adminPort(), "127.0.0.1", "/api/calls")
        .putHeader("Authorization", "Bearer " + TestConfig.READ_ONLY_TOKEN).sendJsonObject(new JsonObject()).await()
        .statusCode());
    assertEquals(404, admin(HttpMethod.DELETE, "/api/calls/unknown", null).statusCode());
    assertEquals(List.of(), api.requests());
  }

  @Test
  @DisplayName("an operator lists a live call and hangs it up with hangupparticipant")
  void operatorHangup() throws Exception {
    startBoth(sim -> sim.compressed(10).withCallee(CALLEE, new Callee.Answer(500, 60_000)), Map.of(CALLEE, ""));
    String callId = placeCall("+46700000001", "notify", new JsonObject().put("name", "Di")).getString("callId");
    awaitPhase(callId, "prompted");
    JsonObject list = admin(HttpMethod.GET, "/api/calls", null).bodyAsJsonObject();
    assertEquals(1, list.getInteger("count"));
    JsonObject live = list.getJsonArray("items").getJsonObject(0);
    assertEquals(List.of(callId, "notify", "ask", "+46700000001"), List.of(live.getString("callId"), live.getString("flow"),
        live.getString("state"), live.getString("to")));

    assertEquals(202, admin(HttpMethod.DELETE, "/api/calls/" + callId, null).statusCode());
    Transcript t = placed(0);
    assertEquals("api-hangup", t.outcome());
    MediaserviceApi.Request hangup = api.requests().stream().filter(r -> r.operation().equals("hangupparticipant"))
        .findFirst().orElseThrow();
    assertEquals(200, hangup.status());
    assertEquals("operatorHangup:ask", call(callId).getString("endReason"));
    assertEquals(409, admin(HttpMethod.DELETE, "/api/calls/" + callId, null).statusCode(), "already ended");
  }

  @Test
  @DisplayName("an operator moves a live call to another state: interruptivrcommand, and the callee hears that state at once")
  void operatorInterrupt() throws Exception {
    startBoth(sim -> sim.compressed(10).withCallee(CALLEE, new Callee.Answer(500, 60_000)), Map.of(CALLEE, ""));
    String callId = placeCall("+46700000001", "notify", new JsonObject().put("name", "Ed")).getString("callId");
    awaitPhase(callId, "prompted");
    assertEquals(400, admin(HttpMethod.POST, "/api/calls/" + callId + "/interrupt", new JsonObject().put("goto", "nope"))
        .statusCode());
    assertEquals(400, admin(HttpMethod.POST, "/api/calls/" + callId + "/interrupt", new JsonObject()).statusCode());
    assertEquals(202, admin(HttpMethod.POST, "/api/calls/" + callId + "/interrupt", new JsonObject().put("goto", "special"))
        .statusCode());
    Transcript t = placed(0);
    assertEquals(List.of("Hello Ed. Press 1 to confirm.", "This is the special state."), t.heard());
    assertEquals(1, t.details("interrupted").size(), t.toString());
    assertTrue(operations(api).contains("interruptivrcommand 200"), operations(api).toString());
    assertEquals(409, admin(HttpMethod.POST, "/api/calls/" + callId + "/interrupt", new JsonObject().put("goto", "special"))
        .statusCode(), "an ended call cannot be moved");
  }

  @Test
  @DisplayName("voicemail: the prompt, startrecording on the caller's connection, the stop key, stoprecording, recordingReady kept")
  void voicemail() throws Exception {
    // The caller speaks 2 s of real time: startrecording (sent as the command goes out) is there long before.
    startBoth(sim -> sim.compressed(10).withIvrAnswered(), Map.of());
    Transcript t = inbound("+46800000010", "wait 20s; press #");
    assertEquals(List.of("Leave a message after the tone.", "Thank you, goodbye."), t.heard());
    String file = "voicemail-" + t.sessionId() + ".wav";
    assertEquals(List.of("started " + file, file + " ready"), t.details("recording"));
    assertEquals(List.of("startrecording 200", "stoprecording 200"), operations(api));
    JsonObject recording = call(t.sessionId()).getJsonArray("recordings").getJsonObject(0);
    assertEquals(List.of(file, "leave", "recordingSuccessful"), List.of(recording.getString("file"),
        recording.getString("state"), recording.getString("outcome")));
    assertTrue(recording.getLong("bytes") > 0);

    api.failRecordings(true);
    Transcript failed = inbound("+46800000010", "wait 20s; press #");
    JsonObject lost = call(failed.sessionId()).getJsonArray("recordings").getJsonObject(0);
    assertEquals("recordingFailed", lost.getString("outcome"));
    assertEquals("No callee media received", lost.getString("reason"));
  }

  @Test
  @DisplayName("voicemail: a stop key that comes before startrecording is answered never tells the caller the message "
      + "was kept: the caller holds, and hears the next state once the start is confirmed, the failed exit if it fails")
  void voicemailStopBeforeTheStart() throws Exception {
    // The stop comes 0.2 s after the recording command, the start's answer 0.8 s after, the hold would end after 2 s.
    startBoth(sim -> sim.compressed(5).withIvrAnswered(), Map.of());
    api.delayAnswers(800);
    api.refuseRecordingStarts(true);
    Transcript refused = inbound("+46800000010", "wait 1s; press #");
    assertEquals(List.of("Leave a message after the tone.", "Sorry, we cannot take messages now."), refused.heard(),
        "the start failed after the caller pressed the stop key: not told the message was kept");

    api.refuseRecordingStarts(false);
    int before = api.requests().size();
    Transcript kept = inbound("+46800000010", "wait 1s; press #");
    assertEquals(List.of("Leave a message after the tone.", "Thank you, goodbye."), kept.heard());
    assertEquals(List.of("interruptivrcommand 200", "startrecording 200", "stoprecording 200"),
        operations(api).subList(before, api.requests().size()).stream().sorted().toList(),
        "stopped once started; the interrupt ends the hold");
  }

  @Test
  @DisplayName("voicemail without an answered connection takes the record state's failed exit")
  void voicemailUnavailable() throws Exception {
    startBoth(sim -> sim, Map.of());
    Transcript t = inbound("+46800000010", "wait 20s; press #");
    assertEquals(List.of("Leave a message after the tone.", "Sorry, we cannot take messages now."), t.heard());
    assertEquals(List.of(), api.requests());
  }

  @Test
  @DisplayName("a forward with record: true asks for callRecording, and the recording's result is attached to the call")
  void recordedForward() throws Exception {
    startBoth(sim -> sim.withCallee("sip:agent@pbx.test", new Callee.Answer(1000, 5000)), Map.of());
    Transcript t = inbound("+46800000011", "");
    String file = "agent-" + t.sessionId() + ".wav";
    assertEquals(List.of("started " + file, file + " ready"), t.details("recording"));
    JsonObject recording = call(t.sessionId()).getJsonArray("recordings").getJsonObject(0);
    assertEquals(List.of(file, "agent", "recordingSuccessful"), List.of(recording.getString("file"),
        recording.getString("state"), recording.getString("outcome")));
  }

  @Test
  @DisplayName("http state: the caller holds, the answer comes early and interrupts the hold, its fields become variables")
  void httpOk() throws Exception {
    // Real time: the hold (timeout + 2 s) must outlast a real request, as it does at the mediaservice.
    startBoth(sim -> sim.compressed(1), Map.of());
    long began = System.nanoTime();
    Transcript t = inbound("+46800000012", "");
    assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(4), "the 4 s hold was cut short");
    assertEquals(List.of("One moment please.", "Your tier is gold."), t.heard());
    assertEquals(List.of("hold-music"), t.details("background"));
    assertEquals(1, t.details("interrupted").size(), t.toString());
    assertEquals(List.of("interruptivrcommand 200"), operations(api));
    JsonObject request = stubRequests.get(0);
    assertEquals("POST", request.getString("method"));
    assertEquals("/customers/%2B46701234567?line=%2B46800000012", request.getString("uri"));
    assertEquals(t.sessionId(), request.getString("x-call"));
    assertEquals(new JsonObject().put("caller", CALLER), new JsonObject(request.getString("body")));
  }

  @Test
  @DisplayName("http state: a 500 takes the error exit")
  void httpError() throws Exception {
    startBoth(sim -> sim.compressed(10), Map.of());
    stubMode = "fail";
    Transcript t = inbound("+46800000012", "");
    assertEquals(List.of("One moment please.", "Sorry, the system is down."), t.heard());
    assertEquals(1, stubRequests.size());
  }

  @Test
  @DisplayName("http state: no answer within the timeout takes the error exit, interrupting the hold")
  void httpTimeout() throws Exception {
    startBoth(sim -> sim.compressed(1), Map.of());
    stubMode = "silent";
    long began = System.nanoTime();
    Transcript t = inbound("+46800000012", "");
    assertEquals(List.of("One moment please.", "Sorry, the system is down."), t.heard());
    assertEquals(List.of("interruptivrcommand 200"), operations(api), "the timeout, not the end of the hold, moved on");
    assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(4 + 3), "well before the 4 s hold plus prompts");
  }

  @Test
  @DisplayName("http state: a host outside http.allowedHosts (here loopback, with no list) is never called")
  void httpBlocked() throws Exception {
    AppConfig open = TestConfig.withOutbound(config(), config().outbound(), new AppConfig.Http(List.of(), 65536));
    startServer(open);
    startSimulator(sim -> sim.compressed(10), MediaserviceApi.tokens(TOKEN), Map.of());
    Transcript t = inbound("+46800000012", "");
    assertEquals(List.of("One moment please.", "Sorry, the system is down."), t.heard());
    assertEquals(List.of(), stubRequests);
  }

  @Test
  @DisplayName("maxDuration: a call that outlasts its flow's limit is hung up through the API and ends as maxDuration")
  void maxDuration() throws Exception {
    startBoth(sim -> sim.compressed(20).withIvrAnswered(), Map.of());
    long began = System.nanoTime();
    Transcript t = inbound("+46800000013", "silent; silent; silent; silent; silent; silent; silent; silent");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
    assertEquals("api-hangup", t.outcome());
    assertTrue(seconds >= 9 && seconds < 15, seconds + " s");
    assertEquals(List.of("hangupparticipant 200"), operations(api));
    assertEquals("maxDuration:wait", call(t.sessionId()).getString("endReason"));
  }

  @Test
  @DisplayName("siteBaseUrl: a call's API requests go to the site its callbacks named, not to the cloud base URL")
  void siteBaseUrl() throws Exception {
    int sitePort = freePort();
    String site = "http://127.0.0.1:" + sitePort;
    startBoth(sim -> sim.compressed(1).withSiteBaseUrl(site), Map.of());
    MediaserviceApi siteApi = simulator.startApi(sitePort, MediaserviceApi.tokens(TOKEN), MediaserviceApi.scripts(Map.of()))
        .await();
    Transcript t = inbound("+46800000012", "");
    assertEquals(List.of("One moment please.", "Your tier is gold."), t.heard());
    assertEquals(List.of("interruptivrcommand 200"), operations(siteApi));
    assertEquals(List.of(), api.requests());
  }

  @Test
  @DisplayName("a JWT callflow mints from its private key is accepted by the mediaservice; one from another key is refused")
  void mintedJwt() throws Exception {
    RsaKeys keys = new RsaKeys();
    Path privateKey = keys.writePrivate(dir.resolve("api-key.pem"));
    AppConfig minting = TestConfig.withMediaservice(config(), new AppConfig.Mediaservice("http://127.0.0.1:" + apiPort,
        "test.example", null, new AppConfig.Jwt(privateKey.toString(), "callflow", "tenant-47", "iotcomms", 300), 2000, 2));
    startServer(minting);
    startSimulator(sim -> sim.withCallee(CALLEE, new Callee.Answer(500, 60_000)), new JwtVerifier(keys.publicPem()),
        Map.of(CALLEE, "press 1"));
    placeCall("+46700000001", "notify", new JsonObject().put("name", "Fay"));
    assertEquals(List.of("Hello Fay. Press 1 to confirm.", "Confirmed. Goodbye."), placed(0).heard());
    assertTrue(api.requests().get(0).authorization().startsWith("Bearer eyJ"));

    api.acceptTokens(new JwtVerifier(new RsaKeys().publicPem()));
    HttpResponse<Buffer> refused = admin(HttpMethod.POST, "/api/calls", new JsonObject().put("to", "+46700000001")
        .put("flow", "notify").put("variables", new JsonObject().put("name", "Gus")));
    assertEquals(502, refused.statusCode());
    assertTrue(refused.bodyAsJsonObject().getString("error").contains("status 401"), refused.bodyAsString());
    assertEquals(List.of("placeivrcall 200", "placeivrcall 401"), operations(api));
  }

  @Test
  @DisplayName("IVR messages (seed 000): a valid x-access-token places the call that plays the message; a bad one is 401")
  void ivrMessages() throws Exception {
    RsaKeys sender = new RsaKeys();
    Path key = sender.writePublic(dir.resolve("sender.pem"));
    AppConfig intake = TestConfig.withOutbound(config(), new AppConfig.Outbound("trunk.test", "+46850001000", 30,
        new AppConfig.IvrMessages("/ivr/messages/{0}", "ivr-message", key.toString())), config().http());
    startServer(intake);
    startSimulator(sim -> sim.withCallee(CALLEE, new Callee.Answer(500, 60_000)), MediaserviceApi.tokens(TOKEN),
        // The three phrases take about 9 s: the key comes after them, in the collection.
        Map.of(CALLEE, "wait 10s; press 1"));
    JsonObject message = new JsonObject().put("requestId", "REQ-1").put("type", "IVR").put("referenceCode", "INC-7")
        .put("contactName", "Ada Lovelace").put("contactNumber", "+46700000001").put("messageCode", "OUTAGE")
        .put("messageDescription", "Your service will be down tonight from 22:00.");

    HttpResponse<Buffer> sent = message("REQ-1", sender.jwt(vertx), message);
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    assertEquals(List.of("REQ-1", "INC-7", "placed"), List.of(sent.bodyAsJsonObject().getString("requestId"),
        sent.bodyAsJsonObject().getString("referenceCode"), sent.bodyAsJsonObject().getString("status")));
    assertEquals(List.of("Hello Ada Lovelace. This is a message for you.", "Your service will be down tonight from 22:00.",
        "Press 1 to confirm you heard it, or 2 to hear it again.", "Thank you. Goodbye."), placed(0).heard());

    assertEquals(401, message("REQ-2", new RsaKeys().jwt(vertx), message.copy().put("requestId", "REQ-2")).statusCode());
    assertEquals(401, message("REQ-2", null, message.copy().put("requestId", "REQ-2")).statusCode());
    assertEquals(400, message("REQ-2", sender.jwt(vertx), message.copy().put("requestId", "REQ-2").putNull("contactNumber"))
        .statusCode());
    assertEquals(400, message("REQ-3", sender.jwt(vertx), message).statusCode(), "requestId differs from the path");
    assertEquals(1, api.placedCalls().size());

    api.acceptTokens(MediaserviceApi.tokens("another-token"));
    HttpResponse<Buffer> failed = message("REQ-4", sender.jwt(vertx), message.copy().put("requestId", "REQ-4"));
    assertEquals(500, failed.statusCode());
    assertTrue(failed.bodyAsJsonObject().getString("detail").contains("placeivrcall"), failed.bodyAsString());
  }

  private HttpResponse<Buffer> message(String requestId, String token, JsonObject body) {
    HttpRequest<Buffer> request = client.post(server.port(), "127.0.0.1", "/ivr/messages/" + requestId);
    if (token != null) {
      request.putHeader("x-access-token", token);
    }
    return request.sendJsonObject(body).await();
  }
}
