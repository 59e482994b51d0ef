package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.RsaKeys;
import io.callflow.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Callback authentication in each mode: good, wrong, missing, expired and rotated credentials. */
@ExtendWith(VertxExtension.class)
class CallbackAuthTest {

  @TempDir
  Path keys;
  private Vertx vertx;
  private Server server;
  private WebClient client;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  private void start(Vertx vertx, AppConfig.CallbackAuth auth) {
    this.vertx = vertx;
    server = Server.start(vertx, TestConfig.withAuth(TestConfig.create("src/test/resources/flows", null), auth),
        new MutableClock(MONDAY_10)).await();
    client = WebClient.create(vertx);
  }

  /** Posts a /newCall with this Authorization header (or none); returns the status. */
  private int newCall(String authorization) {
    var request = client.post(server.port(), "127.0.0.1", "/newCall").putHeader("Content-Type", "application/json");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    JsonObject body = new JsonObject().put("sessionId", UUID.randomUUID().toString())
        .put("callingParty", CALLER).put("calledParty", LINE);
    HttpResponse<Buffer> response = request.sendJsonObject(body).await();
    if (response.statusCode() == 401) {
      assertTrue(response.bodyAsJsonObject().getString("error").startsWith("callback authentication failed"));
    }
    return response.statusCode();
  }

  @Test
  @DisplayName("bearer: both rotated tokens pass; a wrong or missing one is 401, counted, and the admin API is unaffected")
  void bearer(Vertx vertx) {
    start(vertx, new AppConfig.CallbackAuth("bearer", List.of("old-token-123456", "new-token-654321"), null, null, 30));
    assertEquals(200, newCall("Bearer old-token-123456"));
    assertEquals(200, newCall("Bearer new-token-654321"));
    assertEquals(401, newCall("Bearer old-token-12345"));
    assertEquals(401, newCall(null));
    assertEquals(401, newCall("Basic b2xkLXRva2VuLTEyMzQ1Ng=="));
    assertEquals(3, server.refusedCallbacks());
    assertEquals(200, client.get(server.adminPort(), "127.0.0.1", "/api/flows")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send().await().statusCode());
  }

  @Test
  @DisplayName("basic: both rotated users pass; a wrong password, a wrong user or garbage is 401")
  void basic(Vertx vertx) {
    start(vertx, new AppConfig.CallbackAuth("basic", List.of("ms:first-secret", "ms:second-secret"), null, null, 30));
    assertEquals(200, newCall(basic("ms:first-secret")));
    assertEquals(200, newCall(basic("ms:second-secret")));
    assertEquals(401, newCall(basic("ms:third-secret")));
    assertEquals(401, newCall(basic("other:first-secret")));
    assertEquals(401, newCall("Basic %%%"));
  }

  @Test
  @DisplayName("a refused callback touches no session: the call it named stays unknown")
  void refusedTouchesNothing(Vertx vertx) {
    start(vertx, new AppConfig.CallbackAuth("bearer", List.of("good-token-123456"), null, null, 30));
    FakeCall call = new FakeCall(client, server.port());
    HttpResponse<Buffer> refused = client.post(server.port(), "127.0.0.1", "/newCall")
        .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer bad")
        .sendJsonObject(new JsonObject().put("sessionId", call.sessionId).put("calledParty", LINE)).await();
    assertEquals(401, refused.statusCode());
    HttpResponse<Buffer> probe = client.post(server.port(), "127.0.0.1", "/getIvrCommand")
        .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer good-token-123456")
        .sendJsonObject(new JsonObject().put("sessionId", call.sessionId).put("replyId", "r")).await();
    assertEquals("Sorry, we cannot take your call.", FakeCall.heard(probe.bodyAsJsonObject()), "unknown call: apology");
  }

  @Test
  @DisplayName("jwt: RS256 tokens by either rotated key pass; expired, not yet valid, wrong issuer, wrong key or missing fail")
  void jwt(Vertx vertx) throws Exception {
    RsaKeys first = new RsaKeys();
    RsaKeys second = new RsaKeys();
    RsaKeys stranger = new RsaKeys();
    Path firstPem = first.writePublic(keys.resolve("first.pem"));
    Path secondPem = second.writePublic(keys.resolve("second.pem"));
    start(vertx, new AppConfig.CallbackAuth("jwt", List.of(firstPem.toString(), secondPem.toString()), "iotcomms",
        "callflow", 5));
    long now = System.currentTimeMillis() / 1000;
    assertEquals(200, newCall(bearer(first, new JsonObject().put("iss", "iotcomms").put("aud", "callflow").put("exp", now + 60))));
    assertEquals(200, newCall(bearer(second, new JsonObject().put("iss", "iotcomms").put("aud", "callflow").put("exp", now + 60))));
    assertEquals(401, newCall(bearer(first, new JsonObject().put("iss", "iotcomms").put("aud", "callflow").put("exp", now - 60))));
    assertEquals(401, newCall(bearer(first, new JsonObject().put("iss", "iotcomms").put("aud", "callflow")
        .put("exp", now + 600).put("nbf", now + 300))));
    assertEquals(401, newCall(bearer(first, new JsonObject().put("iss", "someone").put("aud", "callflow").put("exp", now + 60))));
    assertEquals(401, newCall(bearer(stranger, new JsonObject().put("iss", "iotcomms").put("aud", "callflow").put("exp", now + 60))));
    assertEquals(401, newCall("Bearer not.a.jwt"));
    assertEquals(401, newCall(null));
    assertEquals(6, server.refusedCallbacks());
  }

  private static String basic(String userPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  private String bearer(RsaKeys keys, JsonObject claims) {
    return "Bearer " + keys.jwt(vertx, claims);
  }
}
