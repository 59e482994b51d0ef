package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects an independent mediaservice, written from seed 004 alone, found through HTTP (issue 13): each test
 * posts what that service posted and checks the answer against the document.
 */
@ExtendWith(VertxExtension.class)
class FidelityHttpTest {

  static final String LINE = "+46800000077";

  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    // The http state asks a loopback address, which callflow refuses at once: its error exit is taken.
    Files.writeString(dir.resolve("fidelity.json"), Files.readString(Path.of("src/test/resources/fidelity/fidelity.json"))
        .replace("STUB_PORT", "1"));
    server = Server.start(vertx, TestConfig.create(dir.toString(), null), clock).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  private FakeCall call() {
    return new FakeCall(client, server.port());
  }

  private HttpResponse<Buffer> post(String path, String body) {
    return client.post(server.port(), "127.0.0.1", path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  @DisplayName("a busy forward's fallback written as a number is answered with a sip: URI at outbound.sipDomain")
  void numberFallbackIsSipUri() {
    FakeCall call = call();
    assertEquals("ivr", call.newCall(CALLER, LINE).getString("action"));
    call.ivr();
    assertEquals(Boolean.TRUE, call.ivr("1").getBoolean("hangup"));
    JsonObject forward = call.event("calledPartyDrop", null);
    assertEquals("sip:sales@pbx.test", forward.getString("destAddr"));
    JsonObject fallback = call.event("calledPartyFailure", 486);
    assertEquals("call", fallback.getString("action"), fallback.encode());
    assertEquals("sip:+46850109003@trunk.test", fallback.getString("destAddr"));
    assertEquals(List.of(), VendorSchema.problems("callEvent", fallback));
  }

  @Test
  @DisplayName("/callAnswered as the vendor's sample shapes it (no sessionId, empty reference, numbers) is 200 {}")
  void callAnsweredLikeTheSample() {
    JsonObject sample = new JsonObject().put("callingPartyNumber", 46890510).put("remotePartyNumber", 46890200)
        .put("connectionId", "c-1").put("replyId", "eyJ.x.y").put("remoteRtpPort", 45000)
        .put("httpTransactionId", UUID.randomUUID().toString());
    for (JsonObject body : List.of(sample.copy(), sample.copy().put("sessionReferenceId", new JsonObject()),
        sample.copy().put("sessionReferenceId", 20000))) {
      HttpResponse<Buffer> answer = post("/callAnswered", body.encode());
      assertEquals(200, answer.statusCode(), body.encode() + " → " + answer.bodyAsString());
      assertEquals(new JsonObject(), answer.bodyAsJsonObject());
    }
  }

  @Test
  @DisplayName("notifications that name no call, and getIvrCommand with \"replyId\": null, are answered, never refused")
  void notificationsNamingNoCallAreAnswered() {
    for (String path : List.of("/callNotify", "/sessionCompleted", "/recordingReady", "/alarm")) {
      HttpResponse<Buffer> answer = post(path, "{\"event\": \"ringing\", \"sessionReferenceId\": {}}");
      assertEquals(200, answer.statusCode(), path + " → " + answer.bodyAsString());
      assertEquals(new JsonObject(), answer.bodyAsJsonObject(), path);
    }
    HttpResponse<Buffer> ivr = post("/getIvrCommand", "{\"sessionId\": \"" + UUID.randomUUID()
        + "\", \"replyId\": null, \"dtmfParams\": {\"dtmfMatch\": \"12\", \"encryption\": {}}}");
    assertEquals(200, ivr.statusCode(), ivr.bodyAsString());
    assertNull(ivr.bodyAsJsonObject().getValue("replyId"));
    assertEquals(Boolean.TRUE, ivr.bodyAsJsonObject().getBoolean("hangup"));
    assertEquals(List.of(), VendorSchema.problems("getIvrCommand", ivr.bodyAsJsonObject()));
  }

  @Test
  @DisplayName("getIvrCommand with \"replyId\": null steps a live call, and a repeat with its httpTransactionId is not stepped twice")
  void nullReplyIdStepsTheCall() {
    FakeCall call = call();
    JsonObject reference = call.newCall(CALLER, LINE).getJsonObject("sessionReferenceId");
    String body = new JsonObject().put("sessionId", call.sessionId).put("sessionReferenceId", reference)
        .putNull("replyId").put("httpTransactionId", "tx-1").encode();
    JsonObject first = post("/getIvrCommand", body).bodyAsJsonObject();
    assertEquals("Main menu.", FakeCall.heard(first));
    assertEquals(first, post("/getIvrCommand", body).bodyAsJsonObject());
  }

  @Test
  @DisplayName("a private caller (callingPartyPrivacy secret) is forwarded with callerPrivacy and anonymous identity")
  void privateCallerStaysPrivate() {
    FakeCall call = call();
    JsonObject connect = call.post("/newCall", new JsonObject().put("sessionId", call.sessionId)
        .put("callingParty", CALLER).put("callingPartyPrivacy", "secret").put("displayName", "Ada Lovelace")
        .put("calledParty", LINE));
    call.ivrWith(new JsonObject().put("sessionReferenceId", connect.getJsonObject("sessionReferenceId")));
    JsonObject ivr = call.post("/getIvrCommand", new JsonObject().put("sessionId", call.sessionId)
        .put("replyId", "r-2").put("dtmfParams", new JsonObject().put("dtmfMatch", "1")));
    assertEquals(Boolean.TRUE, ivr.getBoolean("hangup"));
    JsonObject forward = call.post("/callEvent", new JsonObject().put("event", "calledPartyDrop")
        .put("sessionId", call.sessionId));
    assertEquals("call", forward.getString("action"), forward.encode());
    assertEquals(Boolean.TRUE, forward.getBoolean("callerPrivacy"), forward.encode());
    assertEquals("anonymous", forward.getString("sipFrom"), forward.encode());
    assertEquals("anonymous", forward.getString("displayName"), forward.encode());
    assertTrue(!forward.encode().contains(CALLER.substring(1)), forward.encode());
  }

  @Test
  @DisplayName("a public caller's forward carries its number as the flow says, and no callerPrivacy")
  void publicCallerKeepsItsNumber() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    call.ivr("1");
    JsonObject forward = call.event("calledPartyDrop", null);
    assertEquals(CALLER, forward.getString("sipFrom"), forward.encode());
    assertNull(forward.getValue("callerPrivacy"), forward.encode());
  }

  @Test
  @DisplayName("/getCallIdentifier for a number no flow claims is 200 with a reference; /newCall then drops it")
  void callIdentifierNeverRefused() {
    String sessionId = UUID.randomUUID().toString();
    HttpResponse<Buffer> identified = post("/getCallIdentifier", new JsonObject().put("sessionId", sessionId)
        .put("calledParty", "+46999999999").encode());
    assertEquals(200, identified.statusCode(), identified.bodyAsString());
    JsonObject answer = identified.bodyAsJsonObject();
    assertEquals(sessionId, answer.getString("sessionId"));
    assertEquals(sessionId, answer.getJsonObject("sessionReferenceId").getString("callId"));
    assertEquals(List.of(), VendorSchema.problems("getCallIdentifier", answer));
    JsonObject dropped = post("/newCall", new JsonObject().put("sessionId", sessionId)
        .put("calledParty", "+46999999999").encode()).bodyAsJsonObject();
    assertEquals("drop", dropped.getString("action"));
    assertEquals("numberNotFound", dropped.getString("dropCode"));
  }

  private JsonObject admin(String callId) {
    return client.get(server.adminPort(), "127.0.0.1", "/api/calls/" + callId)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send().await().bodyAsJsonObject();
  }

  @Test
  @DisplayName("/callEvent callerConnectionSplit and calleeConnectionSplit (the vendor's enum) are answered, not refused")
  void splitEvents() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    call.ivr("1");
    assertEquals("call", call.event("calledPartyDrop", null).getString("action"));
    call.answered();
    JsonObject callee = call.event("calleeConnectionSplit", null);
    assertEquals("drop", callee.getString("action"), callee.encode());
    assertEquals(List.of(), VendorSchema.problems("callEvent", callee));
    JsonObject caller = call.event("callerConnectionSplit", null);
    assertEquals("ivr", caller.getString("action"), caller.encode());
    assertEquals(List.of(), VendorSchema.problems("callEvent", caller));
  }

  @Test
  @DisplayName("after /sessionCompleted the admin view keeps the call's data, caller and trail, and the state it ended in")
  void adminViewKeepsTheEndedCall() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    call.ivr("9");
    call.ivr("9");
    assertEquals("Goodbye.", FakeCall.heard(call.ivr("9")));
    call.event("calledPartyDrop", null);
    call.completed();
    JsonObject view = admin(call.sessionId);
    assertEquals("goodbye", view.getString("state"), view.encode());
    assertEquals("ended", view.getString("phase"), view.encode());
    assertEquals(CALLER, view.getString("from"), view.encode());
    assertEquals(LINE, view.getString("to"), view.encode());
    assertTrue(view.getJsonArray("activity").size() > 2, view.encode());
    assertTrue(view.getJsonArray("activity").encode().contains("\"invalid\""), view.encode());
    assertEquals(new JsonObject(), call.completed(), "a repeated /sessionCompleted is answered and changes nothing");
    assertEquals(view.getJsonArray("activity").size(), admin(call.sessionId).getJsonArray("activity").size());
  }

  @Test
  @DisplayName("/sessionCompleted while a transfer out of the IVR waits for its /callEvent ends the call as transferLost")
  void transferLost() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    assertEquals(Boolean.TRUE, call.ivr("1").getBoolean("hangup"));
    call.completed();
    JsonObject view = admin(call.sessionId);
    assertEquals("transferLost:sales", view.getString("endReason"), view.encode());
    String metrics = client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    assertTrue(metrics.contains("reason=\"transferLost\""), metrics);
  }

  @Test
  @DisplayName("an encrypting collect asks for md5 with a fresh salt, keeps only the hash, and its branch compares hashes")
  void encryptedPin() throws Exception {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    JsonObject ask = call.ivr("4");
    assertEquals(List.of(), VendorSchema.problems("getIvrCommand", ask));
    JsonObject encryption = ask.getJsonObject("dtmf").getJsonObject("encryption");
    assertEquals("md5", encryption.getString("type"), ask.encode());
    String salt = encryption.getString("salt");
    assertTrue(salt != null && !salt.isEmpty(), ask.encode());
    String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
        .digest((salt + "1234").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals("PIN accepted.", FakeCall.heard(call.ivr(hash)));
    JsonObject view = admin(call.sessionId);
    String data = view.getJsonObject("variables").encode() + view.getJsonArray("activity").encode();
    assertTrue(!data.contains("1234") && !data.contains(hash), data);
    assertTrue(view.getJsonObject("variables").getString("pin").matches("\\*+"), view.encode());

    FakeCall wrong = call();
    wrong.newCall(CALLER, LINE);
    wrong.ivr();
    String otherSalt = wrong.ivr("4").getJsonObject("dtmf").getJsonObject("encryption").getString("salt");
    assertTrue(!otherSalt.equals(salt), "each collection has its own salt");
    String hashOfOldSalt = hash;
    assertEquals("Goodbye.", FakeCall.heard(wrong.ivr(hashOfOldSalt)), "a hash made with another salt does not match");
  }

  @Test
  @DisplayName("say prompts carry the flow's cacheTimeToLive, and a prompt's own cacheTimeToLive and refreshCache win")
  void ttsCaching() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    JsonObject menu = call.ivr().getJsonArray("phrases").getJsonObject(0);
    assertEquals("WEEK", menu.getString("cacheTimeToLive"), menu.encode());
    assertNull(menu.getValue("refreshCache"), menu.encode());
    call.ivr("9");
    call.ivr("9");
    JsonObject goodbye = call.ivr("9");
    assertEquals(List.of(), VendorSchema.problems("getIvrCommand", goodbye));
    JsonObject phrase = goodbye.getJsonArray("phrases").getJsonObject(0);
    assertEquals("Goodbye.", phrase.getJsonObject("awsTTSParameters").getString("Text"));
    assertEquals("DAY", phrase.getString("cacheTimeToLive"), phrase.encode());
    assertEquals(Boolean.TRUE, phrase.getBoolean("refreshCache"), phrase.encode());
  }
}
