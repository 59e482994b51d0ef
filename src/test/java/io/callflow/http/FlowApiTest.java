package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The flow API over HTTP, against a flows directory of its own. */
@ExtendWith(VertxExtension.class)
class FlowApiTest {

  static final String EXTRA = """
      {"id": "extra", "name": "Extra line", "numbers": ["+46800000003"], "start": "bye",
       "failsafe": {"destination": "sip:op@pbx.test"},
       "states": {"bye": {"type": "hangup", "prompt": {"say": "Extra goodbye."}}}}
      """;

  @TempDir
  Path flows;
  private Server server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    TestConfig.copyFlows(flows);
    server = Server.start(vertx, TestConfig.create(flows.toString(), null),
        new MutableClock(MONDAY_10)).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri, String token, String body) {
    var request = client.request(method, server.adminPort(), "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return body == null ? request.send().await() : request.sendBuffer(Buffer.buffer(body)).await();
  }

  private HttpResponse<Buffer> admin(HttpMethod method, String uri, String body) {
    return send(method, uri, TestConfig.ADMIN_TOKEN, body);
  }

  private JsonArray ids(String query) {
    JsonObject page = admin(HttpMethod.GET, "/api/flows" + query, null).bodyAsJsonObject();
    JsonArray ids = new JsonArray();
    page.getJsonArray("items").forEach(i -> ids.add(((JsonObject) i).getString("id")));
    return ids.add(page.getInteger("count"));
  }

  @Test
  @DisplayName("the admin API needs the admin bearer token")
  void needsToken() {
    assertEquals(401, send(HttpMethod.GET, "/api/flows", null, null).statusCode());
    assertEquals(401, send(HttpMethod.GET, "/api/flows", "wrong-token-wrong-token", null).statusCode());
    assertEquals(200, admin(HttpMethod.GET, "/api/flows", null).statusCode());
  }

  @Test
  @DisplayName("the read-only token may read but not change; too many requests from one address get 429")
  void readOnlyAndRateLimit(Vertx vertx) throws IOException {
    assertEquals(200, send(HttpMethod.GET, "/api/flows", TestConfig.READ_ONLY_TOKEN, null).statusCode());
    assertEquals(403, send(HttpMethod.DELETE, "/api/flows/direct", TestConfig.READ_ONLY_TOKEN, null).statusCode());
    assertEquals(403, send(HttpMethod.PUT, "/api/flows/extra", TestConfig.READ_ONLY_TOKEN, EXTRA).statusCode());
    assertTrue(Files.exists(flows.resolve("direct.json")));

    server.stop().await();
    var config = TestConfig.create(flows.toString(), null);
    server = Server.start(vertx, TestConfig.withAdmin(config,
        new io.callflow.config.AppConfig.Admin(TestConfig.ADMIN_TOKEN, null, 5, "127.0.0.1", 0)),
        new MutableClock(MONDAY_10)).await();
    for (int i = 0; i < 5; i++) {
      assertEquals(200, admin(HttpMethod.GET, "/api/flows", null).statusCode());
    }
    // Eleven requests meet the limit even if a new minute starts among them.
    HttpResponse<Buffer> limited = null;
    for (int i = 0; i < 6 && (limited == null || limited.statusCode() != 429); i++) {
      limited = admin(HttpMethod.GET, "/api/flows", null);
    }
    assertEquals(429, limited.statusCode());
    assertTrue(limited.bodyAsJsonObject().getString("error").contains("at most 5 a minute"));
  }

  @Test
  @DisplayName("the admin API and /metrics answer on their own listener, not on the callback port")
  void ownListener() {
    assertNotEquals(server.port(), server.adminPort());
    assertEquals(404, client.get(server.port(), "127.0.0.1", "/api/flows")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send().await().statusCode());
    assertEquals(404, client.get(server.port(), "127.0.0.1", "/metrics").send().await().statusCode());
    assertEquals(200, admin(HttpMethod.GET, "/api/flows", null).statusCode());
    assertTrue(client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString()
        .contains("callflow_flows_loaded"));
    assertEquals(200, client.get(server.adminPort(), "127.0.0.1", "/ready").send().await().statusCode());
    assertEquals(200, client.get(server.port(), "127.0.0.1", "/ready").send().await().statusCode(),
        "probes still reach the callback port");
  }

  @Test
  @DisplayName("admin.port -1 serves the admin API and /metrics on the callback port")
  void onCallbackPort(Vertx vertx) {
    server.stop().await();
    var config = TestConfig.create(flows.toString(), null);
    server = Server.start(vertx, TestConfig.withAdmin(config, new io.callflow.config.AppConfig.Admin(
            TestConfig.ADMIN_TOKEN, null, 100, "127.0.0.1", io.callflow.config.AppConfig.ADMIN_ON_CALLBACK_PORT)),
        new MutableClock(MONDAY_10)).await();
    assertEquals(server.port(), server.adminPort());
    assertEquals(200, admin(HttpMethod.GET, "/api/flows", null).statusCode());
    assertEquals(200, client.get(server.port(), "127.0.0.1", "/metrics").send().await().statusCode());
    assertEquals("ivr", new FakeCall(client, server.port()).newCall(CALLER, LINE)
        .getString("action"), "callbacks still served");
  }

  @Test
  @DisplayName("listing takes filter, search, orderby, skip and top, and answers {count, items}")
  void listing() {
    assertEquals(new JsonArray().add("direct").add("test-line").add(2), ids(""));
    assertEquals(new JsonArray().add("test-line").add("direct").add(2), ids("?orderby=id%20desc"));
    assertEquals(new JsonArray().add("test-line").add(2), ids("?skip=1&top=1"));
    assertEquals(new JsonArray().add("test-line").add(1), ids("?search=EVERY%20STATE"));
    assertEquals(new JsonArray().add("direct").add(1), ids("?filter=number%20eq%20'%2B46800000002'"));
    assertEquals(400, admin(HttpMethod.GET, "/api/flows?orderby=colour", null).statusCode());
    assertEquals(400, admin(HttpMethod.GET, "/api/flows?top=-1", null).statusCode());
    assertEquals(400, admin(HttpMethod.GET, "/api/flows?filter=id%20like%20x", null).statusCode());
  }

  @Test
  @DisplayName("PUT validates, writes the file and serves it at once; a bad flow is refused and nothing is written")
  void putFlow() throws IOException {
    HttpResponse<Buffer> saved = admin(HttpMethod.PUT, "/api/flows/extra", EXTRA);
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    assertTrue(Files.exists(flows.resolve("extra.json")));
    FakeCall call = new FakeCall(client, server.port());
    assertEquals("ivr", call.newCall(CALLER, "+46800000003").getString("action"));

    HttpResponse<Buffer> broken = admin(HttpMethod.PUT, "/api/flows/broken", EXTRA.replace("\"extra\"", "\"broken\"")
        .replace("\"start\": \"bye\"", "\"start\": \"nowhere\""));
    assertEquals(400, broken.statusCode());
    assertTrue(broken.bodyAsJsonObject().getString("error").contains("no state 'nowhere'"), broken.bodyAsString());
    assertFalse(Files.exists(flows.resolve("broken.json")));
    assertEquals(400, admin(HttpMethod.PUT, "/api/flows/other", EXTRA).statusCode(), "id differs from the path");
  }

  @Test
  @DisplayName("validate reports findings without saving; versions count live calls; diagram is Mermaid")
  void validateVersionsDiagram() throws IOException {
    JsonObject report = admin(HttpMethod.POST, "/api/flows/validate",
        EXTRA.replace("\"start\": \"bye\"", "\"start\": \"nowhere\"")).bodyAsJsonObject();
    assertFalse(report.getBoolean("valid"));

    FakeCall live = new FakeCall(client, server.port());
    live.newCall(CALLER, LINE);
    String edited = Files.readString(flows.resolve("test-line.json")).replace("We are closed.", "Closed now.");
    assertEquals(200, admin(HttpMethod.PUT, "/api/flows/test-line", edited).statusCode());
    JsonArray versions = admin(HttpMethod.GET, "/api/flows/test-line/versions", null).bodyAsJsonObject()
        .getJsonArray("items");
    assertEquals(2, versions.size());
    assertEquals(1, versions.getJsonObject(0).getInteger("liveCalls"));
    assertFalse(versions.getJsonObject(0).getBoolean("current"));
    assertTrue(versions.getJsonObject(1).getBoolean("current"));

    HttpResponse<Buffer> diagram = admin(HttpMethod.GET, "/api/flows/test-line/diagram", null);
    assertTrue(diagram.bodyAsString().startsWith("flowchart TD"));
    assertTrue(diagram.getHeader("Content-Type").startsWith("text/plain"));
  }

  @Test
  @DisplayName("import converts Smartflo and PortSIP definitions and lists what it could not map; nothing is saved")
  void importSmartflo() throws IOException {
    String sample = Files.readString(Path.of("src/test/resources/imports/smartflo-election.json"));
    JsonObject result = admin(HttpMethod.POST, "/api/flows/import/smartflo?sipDomain=pbx.test", sample).bodyAsJsonObject();
    assertEquals("election-ivr", result.getJsonObject("flow").getString("id"));
    assertEquals("sip:05047530000@pbx.test",
        result.getJsonObject("flow").getJsonObject("states").getJsonObject("option-1").getString("destination"));
    assertEquals(2, result.getJsonArray("unmapped").size());
    assertTrue(admin(HttpMethod.POST, "/api/flows/validate", result.getJsonObject("flow").encode())
        .bodyAsJsonObject().getBoolean("valid"));
    assertEquals(400, admin(HttpMethod.POST, "/api/flows/import/smartflo", "[1]").statusCode());
    String reception = Files.readString(Path.of("src/test/resources/imports/portsip-reception.json"));
    assertEquals("main-reception", admin(HttpMethod.POST, "/api/flows/import/portsip", reception).bodyAsJsonObject()
        .getJsonObject("flow").getString("id"));
    assertEquals(404, admin(HttpMethod.POST, "/api/flows/import/asterisk", reception).statusCode());
    assertFalse(Files.exists(flows.resolve("election-ivr.json")));
  }

  @Test
  @DisplayName("GET shows the definition; DELETE removes the file and the flow, then GET is 404")
  void getAndDelete() {
    JsonObject direct = admin(HttpMethod.GET, "/api/flows/direct", null).bodyAsJsonObject();
    assertEquals("desk", direct.getJsonObject("definition").getString("start"));
    assertEquals(204, admin(HttpMethod.DELETE, "/api/flows/direct", null).statusCode());
    assertFalse(Files.exists(flows.resolve("direct.json")));
    assertEquals(404, admin(HttpMethod.GET, "/api/flows/direct", null).statusCode());
    assertEquals(404, admin(HttpMethod.DELETE, "/api/flows/direct", null).statusCode());
  }
}
