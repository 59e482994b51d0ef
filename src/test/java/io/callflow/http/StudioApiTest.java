package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The studio's part of the admin API and its login, over HTTP, against a flows directory of its own. */
@ExtendWith(VertxExtension.class)
class StudioApiTest {

  @TempDir
  Path flows;
  private Server server;
  private WebClient client;

  @BeforeAll
  static void warm() {
    ColdStart.warmNetty();
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    TestConfig.copyFlows(flows);
    server = launch(vertx);
    client = WebClient.create(vertx);
  }

  private Server launch(Vertx vertx) {
    return Server.start(vertx, TestConfig.create(flows.toString(), null), new MutableClock(MONDAY_10))
        .await();
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri, String token, String body) {
    var request = client.request(method, server.adminPort(), "127.0.0.1", uri).putHeader("Content-Type", "application/json");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return body == null ? request.send().await() : request.sendBuffer(Buffer.buffer(body)).await();
  }

  private JsonObject admin(HttpMethod method, String uri, String body) {
    HttpResponse<Buffer> response = send(method, uri, TestConfig.ADMIN_TOKEN, body);
    assertTrue(response.statusCode() < 300, uri + ": " + response.statusCode() + " " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private JsonArray history(String id) {
    return admin(HttpMethod.GET, "/api/flows/" + id + "/history", null).getJsonArray("items");
  }

  @Test
  @DisplayName("drafts serve no call; publish, hand edits and rollback are versions with author and comment, kept across a restart")
  void draftPublishHistoryRollback(Vertx vertx) throws Exception {
    String first = admin(HttpMethod.GET, "/api/flows/direct", null).getString("version");
    JsonObject found = history("direct").getJsonObject(0);
    assertEquals(1, found.getInteger("number"));
    assertEquals("flows/", found.getString("author"));
    assertTrue(found.getBoolean("current"));

    String edited = Files.readString(flows.resolve("direct.json")).replace("\"ringTime\": 15", "\"ringTime\": 25");
    JsonObject draft = admin(HttpMethod.PUT, "/api/flows/direct/draft", edited);
    assertTrue(draft.getBoolean("valid"));
    assertEquals(first, admin(HttpMethod.GET, "/api/flows/direct", null).getString("version"), "a draft serves no call");
    assertEquals(edited, admin(HttpMethod.GET, "/api/flows/direct/draft", null).getString("source"));

    JsonObject published = admin(HttpMethod.POST, "/api/flows/direct/publish", "{\"comment\": \"longer ring\"}");
    assertEquals(2, published.getInteger("number"));
    assertEquals("admin", published.getString("author"));
    assertEquals("longer ring", published.getString("comment"));
    assertEquals(published.getString("version"), admin(HttpMethod.GET, "/api/flows/direct", null).getString("version"));
    assertEquals(404, send(HttpMethod.GET, "/api/flows/direct/draft", TestConfig.ADMIN_TOKEN, null).statusCode());
    assertEquals(edited, Files.readString(flows.resolve("direct.json")), "installed through the flows directory");

    // A bad draft is refused at publish with every error, and nothing changes.
    admin(HttpMethod.PUT, "/api/flows/direct/draft", edited.replace("\"closed\"}", "\"clsoed\"}"));
    HttpResponse<Buffer> refused = send(HttpMethod.POST, "/api/flows/direct/publish", TestConfig.ADMIN_TOKEN, "{}");
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertEquals(2, history("direct").size());

    // A PUT through the admin API is the token's version, not a hand edit.
    admin(HttpMethod.PUT, "/api/flows/direct", edited.replace("\"ringTime\": 25", "\"ringTime\": 30"));
    assertEquals("admin", history("direct").getJsonObject(0).getString("author"));
    assertEquals("PUT /api/flows/direct", history("direct").getJsonObject(0).getString("comment"));

    // A hand edit in flows/ becomes a published version.
    Files.writeString(flows.resolve("direct.json"), edited.replace("\"ringTime\": 25", "\"ringTime\": 35"));
    await(() -> history("direct").size() == 4);
    assertEquals("flows/", history("direct").getJsonObject(0).getString("author"));

    // Restart: the history is still there, and reading the same files adds nothing.
    server.stop().await();
    server = launch(vertx);
    assertEquals(4, history("direct").size());

    JsonObject rollback = admin(HttpMethod.POST, "/api/flows/direct/rollback", "{\"to\": 1}");
    assertEquals(5, rollback.getInteger("number"));
    assertEquals("rollback to #1", rollback.getString("comment"));
    assertEquals(first, admin(HttpMethod.GET, "/api/flows/direct", null).getString("version"));
    assertTrue(history("direct").getJsonObject(0).getBoolean("current"));
    assertEquals(404, send(HttpMethod.POST, "/api/flows/direct/rollback", TestConfig.ADMIN_TOKEN, "{\"to\": 99}")
        .statusCode());
  }

  @Test
  @DisplayName("check pins each finding to its key and state, with did-you-mean hints for unknown keys and targets")
  void checkPinsFindings() throws Exception {
    String flow = Files.readString(flows.resolve("test-line.json"));
    JsonObject target = admin(HttpMethod.POST, "/api/flows/check", flow.replace("\"2\": \"support\"", "\"2\": \"suport\""));
    assertFalse(target.getBoolean("valid"));
    JsonObject finding = target.getJsonArray("findings").getJsonObject(0);
    assertEquals("/states/main/options/2", finding.getString("pointer"));
    assertEquals("main", finding.getString("state"));
    assertEquals("did you mean 'support'?", finding.getString("hint"));

    JsonObject key = admin(HttpMethod.POST, "/api/flows/check",
        flow.replace("\"prompt\": {\"say\": \"Press 1 for sales", "\"promt\": {\"say\": \"Press 1 for sales"));
    JsonObject unknown = key.getJsonArray("findings").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("pointer").endsWith("/promt")).findFirst().orElseThrow(() -> new AssertionError(key));
    assertEquals("/states/main/promt", unknown.getString("pointer"));
    assertEquals("did you mean 'prompt'?", unknown.getString("hint"));

    JsonObject syntax = admin(HttpMethod.POST, "/api/flows/check", "{\"id\": \"x\",\n  \"start\" \"a\"}");
    assertEquals(2, syntax.getJsonArray("findings").getJsonObject(0).getInteger("line"));

    JsonObject good = admin(HttpMethod.POST, "/api/flows/check", flow);
    assertTrue(good.getBoolean("valid"));
    JsonArray edges = good.getJsonObject("graph").getJsonArray("edges");
    assertTrue(edges.stream().map(JsonObject.class::cast).anyMatch(e -> e.getString("label").equals("callingParty in +46700000099")));
  }

  @Test
  @DisplayName("simulate runs the engine offline and answers the path; coverage lists what no call reaches")
  void simulateAndCoverage() throws Exception {
    JsonObject body = new JsonObject().put("source", Files.readString(flows.resolve("test-line.json")))
        .put("at", "2026-11-23T10:00:00+01:00").put("dtmf", "2,1").put("callee", "busy");
    JsonObject run = admin(HttpMethod.POST, "/api/flows/simulate", body.encode());
    assertEquals(new JsonArray().add("hours").add("vip").add("main").add("support").add("internet").add("phone")
        .add("goodbye"), new JsonArray(run.getJsonArray("path").stream().distinct().toList()));
    assertFalse(run.getJsonArray("transcript").isEmpty());
    String small = """
        {"id": "small", "start": "hours", "failsafe": {"destination": "sip:op@pbx.test"}, "states": {
          "hours": {"type": "hours", "timezone": "Europe/Stockholm", "weekly": {"mon": ["08:00-17:00"]},
                    "open": "menu", "closed": "closed"},
          "menu": {"type": "menu", "prompt": {"say": "Press 1."}, "options": {"1": "desk"},
                   "noInput": {"exit": "closed"}, "invalid": {"exit": "closed"}},
          "desk": {"type": "forward", "destination": "sip:desk@pbx.test", "busy": "closed"},
          "closed": {"type": "hangup"}}}
        """;
    JsonObject coverage = admin(HttpMethod.POST, "/api/flows/coverage",
        new JsonObject().put("source", small).put("at", "2026-11-23T10:00:00+01:00").encode());
    assertTrue(coverage.getJsonArray("missed").isEmpty(), coverage.encode());
    JsonObject closed = admin(HttpMethod.POST, "/api/flows/coverage",
        new JsonObject().put("source", small).put("at", "2026-11-23T20:00:00+01:00").encode());
    assertTrue(closed.getJsonArray("missed").contains("state desk"), closed.encode());
    assertEquals(400, send(HttpMethod.POST, "/api/flows/simulate", TestConfig.ADMIN_TOKEN,
        body.copy().put("at", "tomorrow").encode()).statusCode());
  }

  @Test
  @DisplayName("the studio login: a cookie that is HttpOnly and SameSite=Strict; changes with it need the studio header; read-only stays read-only")
  void login() {
    HttpResponse<Buffer> page = send(HttpMethod.GET, "/studio/", null, null);
    assertTrue(page.bodyAsString().contains("id=\"login\""), "the login page");
    assertTrue(page.getHeader("Content-Security-Policy").contains("script-src 'self'"));
    assertEquals(401, send(HttpMethod.GET, "/studio/app.js", null, null).statusCode());
    assertEquals(401, send(HttpMethod.POST, "/studio/login", null, "{\"token\": \"wrong-wrong-wrong-wrong\"}").statusCode());

    HttpResponse<Buffer> login = send(HttpMethod.POST, "/studio/login", null,
        new JsonObject().put("token", TestConfig.ADMIN_TOKEN).encode());
    String cookie = login.cookies().get(0);
    assertTrue(cookie.toLowerCase().contains("httponly") && cookie.contains("SameSite=Strict"), cookie);
    assertFalse(cookie.contains(TestConfig.ADMIN_TOKEN));
    String session = cookie.split(";")[0];
    var withCookie = client.request(HttpMethod.PUT, server.adminPort(), "127.0.0.1", "/api/flows/direct/draft")
        .putHeader("Cookie", session).putHeader("Content-Type", "application/json");
    assertEquals(403, withCookie.sendBuffer(Buffer.buffer("{}")).await().statusCode(), "no studio header");
    assertEquals(200, withCookie.putHeader("X-Callflow-Studio", "1").sendBuffer(Buffer.buffer("{}")).await().statusCode());
    assertEquals(200, client.get(server.adminPort(), "127.0.0.1", "/studio/app.js").putHeader("Cookie", session).send().await()
        .statusCode());

    String reader = send(HttpMethod.POST, "/studio/login", null,
        new JsonObject().put("token", TestConfig.READ_ONLY_TOKEN).encode()).cookies().get(0).split(";")[0];
    assertEquals(403, client.request(HttpMethod.PUT, server.adminPort(), "127.0.0.1", "/api/flows/direct/draft")
        .putHeader("Cookie", reader).putHeader("X-Callflow-Studio", "1").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{}")).await().statusCode());
    assertEquals(200, client.get(server.adminPort(), "127.0.0.1", "/api/studio/flows").putHeader("Cookie", reader).send()
        .await().statusCode());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), "not within 10 s");
      Thread.sleep(50);
    }
  }
}
