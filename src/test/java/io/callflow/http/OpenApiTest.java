package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.callflow.config.AppConfig;
import io.callflow.sim.Callee;
import io.callflow.sim.MediaserviceApi;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API against its OpenAPI 3.1 document (src/main/resources/openapi.json, served at /api/openapi.json):
 * every documented operation is called for real, and each answer's status, content type and body must be what the
 * document says, checked by networknt's JSON Schema validator in its OpenAPI 3.1 dialect.
 */
@ExtendWith(VertxExtension.class)
class OpenApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
      builder -> builder.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
  private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder()
      .formatAssertionsEnabled(true).build();

  @TempDir
  Path flows;
  private Server server;
  private Simulator simulator;
  private WebClient client;
  private JsonNode document;
  /** "METHOD /path/{template}" of every call made, to prove each documented operation was tried. */
  private final Set<String> called = new TreeSet<>();

  @BeforeAll
  static void warm() {
    ColdStart.warmNetty();
  }

  @BeforeEach
  void readDocument() throws IOException {
    document = JSON.readTree(OpenApiHandler.read());
  }

  /** callflow with the test flows in a directory of their own, and the simulator as its mediaservice. */
  private void start(Vertx vertx) throws IOException {
    TestConfig.copyFlows(flows);
    int apiPort = freePort();
    AppConfig config = TestConfig.withOutbound(TestConfig.withMediaservice(TestConfig.create(flows.toString(), null),
            "http://127.0.0.1:" + apiPort, "api-token"),
        new AppConfig.Outbound("trunk.test", "+46850001000", 30, null), new AppConfig.Http(List.of(), 65536));
    server = Server.start(vertx, config, new MutableClock(MONDAY_10)).await();
    simulator = new Simulator(vertx, SimConfig.local(server.port())
        .withCallee("sip:+46700000002@trunk.test", new Callee.NoAnswer(60_000)));
    simulator.startApi(apiPort, MediaserviceApi.tokens("api-token"), MediaserviceApi.scripts(Map.of())).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    if (simulator != null) {
      simulator.close().await();
    }
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("every documented admin operation answers as the OpenAPI document says, errors included")
  void realAnswersMatchTheDocument(Vertx vertx) throws IOException {
    start(vertx);
    JsonNode served = JSON.readTree(check("GET", "/api/openapi.json", "/api/openapi.json", 200, null));
    assertEquals("3.1.0", served.get("openapi").asText());
    assertEquals(document, served, "the route serves the resource");
    check("GET", "/api/flows", "/api/flows?orderby=name%20desc&top=1", 200, null);
    check("GET", "/api/flows", "/api/flows?top=x", 400, null);
    String testLine = Files.readString(flows.resolve("test-line.json"));
    check("POST", "/api/flows/validate", "/api/flows/validate", 200, testLine);
    JsonNode broken = JSON.readTree(check("POST", "/api/flows/validate", "/api/flows/validate", 200, "{\"id\": 1}"));
    assertFalse(broken.get("valid").asBoolean());
    check("POST", "/api/flows/import/{format}", "/api/flows/import/smartflo?sipDomain=pbx.test", 200,
        Files.readString(Path.of("src/test/resources/imports/smartflo-election.json")));
    check("POST", "/api/flows/import/{format}", "/api/flows/import/asterisk", 404, "{}");
    check("GET", "/api/flows/{id}", "/api/flows/test-line", 200, null);
    check("GET", "/api/flows/{id}", "/api/flows/nope", 404, null);
    check("PUT", "/api/flows/{id}", "/api/flows/extra", 200, FlowApiTest.EXTRA);
    check("PUT", "/api/flows/{id}", "/api/flows/extra", 400, "{\"id\": \"extra\"}");
    check("GET", "/api/flows/{id}/versions", "/api/flows/extra/versions", 200, null);
    check("GET", "/api/flows/{id}/diagram", "/api/flows/extra/diagram", 200, null);
    studio(testLine);
    check("DELETE", "/api/flows/{id}", "/api/flows/extra", 204, null);

    JsonNode placed = JSON.readTree(check("POST", "/api/calls", "/api/calls", 201,
        "{\"to\": \"+46700000002\", \"flow\": \"test-line\"}"));
    String callId = placed.get("callId").asText();
    check("POST", "/api/calls", "/api/calls", 400, "{\"to\": \"not a number\", \"flow\": \"test-line\"}");
    check("POST", "/api/calls", "/api/calls", 404, "{\"to\": \"+46700000002\", \"flow\": \"nope\"}");
    JsonNode live = JSON.readTree(check("GET", "/api/calls", "/api/calls", 200, null));
    assertEquals(1, live.get("count").asInt(), live.toString());
    check("GET", "/api/calls/{id}", "/api/calls/" + callId, 200, null);
    check("GET", "/api/calls/{id}", "/api/calls/nope", 404, null);
    check("POST", "/api/calls/{id}/interrupt", "/api/calls/" + callId + "/interrupt", 409, "{\"goto\": \"main\"}");
    check("POST", "/api/calls/{id}/interrupt", "/api/calls/nope/interrupt", 404, "{\"goto\": \"main\"}");
    check("DELETE", "/api/calls/{id}", "/api/calls/" + callId, 202, null);
    check("DELETE", "/api/calls/{id}", "/api/calls/nope", 404, null);

    assertEquals(401, send("GET", "/api/flows", null, null).statusCode());
    assertEquals(documentedOperations(), called, "every documented operation was called");
  }

  /** The studio's part of the API, on test-line and on the flow "extra" just written. */
  private void studio(String testLine) throws IOException {
    check("GET", "/api/studio/flows", "/api/studio/flows", 200, null);
    check("POST", "/api/flows/check", "/api/flows/check", 200, testLine);
    check("POST", "/api/flows/simulate", "/api/flows/simulate", 200, "{\"flow\": \"test-line\", \"dtmf\": \"2,1\"}");
    check("POST", "/api/flows/simulate", "/api/flows/simulate", 404, "{\"flow\": \"nope\"}");
    check("POST", "/api/flows/coverage", "/api/flows/coverage", 200, "{\"flow\": \"test-line\"}");
    check("GET", "/api/flows/{id}/graph", "/api/flows/test-line/graph", 200, null);
    check("GET", "/api/flows/{id}/funnel", "/api/flows/test-line/funnel", 200, null);
    check("PUT", "/api/flows/{id}/draft", "/api/flows/extra/draft", 200, FlowApiTest.EXTRA);
    check("GET", "/api/flows/{id}/draft", "/api/flows/extra/draft", 200, null);
    JsonNode published = JSON.readTree(check("POST", "/api/flows/{id}/publish", "/api/flows/extra/publish", 200,
        "{\"comment\": \"first\"}"));
    int number = published.get("number").asInt();
    check("GET", "/api/flows/{id}/history", "/api/flows/extra/history", 200, null);
    check("GET", "/api/flows/{id}/history/{number}", "/api/flows/extra/history/" + number, 200, null);
    check("GET", "/api/flows/{id}/history/{number}", "/api/flows/extra/history/999", 404, null);
    check("POST", "/api/flows/{id}/rollback", "/api/flows/extra/rollback", 200, "{\"to\": " + number + "}");
    check("PUT", "/api/flows/{id}/draft", "/api/flows/extra/draft", 200, "{\"id\": \"extra\"}");
    check("DELETE", "/api/flows/{id}/draft", "/api/flows/extra/draft", 204, null);
    check("GET", "/api/flows/{id}/draft", "/api/flows/extra/draft", 404, null);
  }

  @Test
  @DisplayName("every /api route of the admin listener is in the document, and nothing else is")
  void routeTableMatchesTheDocument(Vertx vertx) throws IOException {
    Collaborators parts = Collaborators.assemble(vertx, TestConfig.create(copyFlows(), null),
        new MutableClock(MONDAY_10)).await();
    Set<String> routes = new TreeSet<>();
    try {
      for (io.vertx.ext.web.Route route : Routes.admin(vertx, parts).getRoutes()) {
        String path = route.getPath();
        if (path != null && path.startsWith("/api/") && route.methods() != null) {
          route.methods().forEach(m -> routes.add(m.name() + " " + path.replaceAll(":(\\w+)", "{$1}")));
        }
      }
    } finally {
      parts.mediaservice().close();
      parts.http().close();
      parts.reporting().close(java.time.Duration.ofSeconds(1)).eventually(parts.store()::close).await();
      parts.metrics().close();
    }
    assertEquals(documentedOperations(), routes);
  }

  private String copyFlows() throws IOException {
    TestConfig.copyFlows(flows);
    return flows.toString();
  }

  @Test
  @DisplayName("the validator rejects an answer that breaks the document (so the check above can fail)")
  void validatorCatchesAWrongAnswer() throws IOException {
    JsonSchema flowList = schema("/paths/~1api~1flows/get/responses/200/content/application~1json/schema");
    assertTrue(flowList.validate(JSON.readTree("{\"count\": 0, \"items\": []}")).isEmpty());
    assertFalse(flowList.validate(JSON.readTree("{\"count\": \"none\", \"items\": []}")).isEmpty());
    assertFalse(flowList.validate(JSON.readTree("{\"count\": 1, \"items\": [{\"id\": \"a\", \"numbers\": [], "
        + "\"version\": \"0123456789ab\", \"secret\": \"x\"}]}")).isEmpty(), "an undocumented field");
    JsonSchema error = schema("/components/schemas/Error");
    assertFalse(error.validate(JSON.readTree("{\"status\": 200, \"error\": \"x\"}")).isEmpty());
  }

  /**
   * Sends the request, then checks the answer against the document's response for {@code template} and the
   * status: the status is documented, the content type is the documented one, the body fits its schema.
   */
  private String check(String method, String template, String uri, int status, String body) throws IOException {
    HttpResponse<Buffer> response = send(method, uri, TestConfig.ADMIN_TOKEN, body);
    String text = response.bodyAsString();
    assertEquals(status, response.statusCode(), method + " " + uri + ": " + text);
    called.add(method + " " + template);
    String operation = "/paths/" + escape(template) + "/" + method.toLowerCase(java.util.Locale.ROOT);
    assertFalse(document.at(operation).isMissingNode(), operation + " is documented");
    String answer = operation + "/responses/" + status;
    JsonNode declared = document.at(answer);
    assertFalse(declared.isMissingNode(), method + " " + template + " " + status + " is documented");
    if (declared.has("$ref")) {
      answer = declared.get("$ref").asText().substring(1);
      declared = document.at(answer);
    }
    if (!declared.has("content")) {
      assertTrue(text == null || text.isEmpty(), method + " " + uri + " has no body: " + text);
      return text;
    }
    String type = declared.get("content").fieldNames().next();
    assertNotNull(response.getHeader("Content-Type"), method + " " + uri);
    assertTrue(response.getHeader("Content-Type").startsWith(type), method + " " + uri + " is " + type);
    if (type.equals("application/json")) {
      Set<ValidationMessage> problems = schema(answer + "/content/application~1json/schema").validate(JSON.readTree(text));
      assertEquals(Set.of(), problems, method + " " + uri + " " + status + ": " + text);
    }
    return text;
  }

  private JsonSchema schema(String pointer) {
    return SCHEMAS.getSchema(SchemaLocation.of("classpath:openapi.json#" + pointer), STRICT);
  }

  private HttpResponse<Buffer> send(String method, String uri, String token, String body) {
    var request = client.request(HttpMethod.valueOf(method), server.adminPort(), "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send()
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body))).await();
  }

  private Set<String> documentedOperations() {
    Set<String> operations = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      List<String> methods = new ArrayList<>();
      path.getValue().fieldNames().forEachRemaining(methods::add);
      methods.stream().filter(m -> !m.equals("parameters"))
          .forEach(m -> operations.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey()));
    }
    return operations;
  }

  private static String escape(String path) {
    return path.replace("~", "~0").replace("/", "~1");
  }
}
