package io.callflow.http;

import static io.callflow.Eventually.eventually;
import static io.callflow.Fixtures.freePort;
import static io.callflow.Fixtures.CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.callflow.session.Lifetimes;
import io.callflow.session.RedisLink;
import io.callflow.session.RedisProcess;
import io.callflow.session.RedisSessionStore;
import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.MediaserviceApi;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two callflow servers sharing one Redis, in this JVM, behind a balancer that alternates every callback. */
class ScaleOutIT {

  static final String LINE = "+46850009999";
  static final String MENU = "Press 1 for sales, 2 for support, 3 for your account.";
  static final String MENU_V2 = "Version two: press 3 for your account.";

  @TempDir
  static Path redisDir;
  static RedisProcess redis;
  @TempDir
  Path dir;
  Vertx vertx;
  WebClient client;
  final List<Server> servers = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start(redisDir);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void start() throws Exception {
    redis.command("FLUSHALL");
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop().await());
    vertx.close().await();
  }

  /** An instance serving {@code flow} (the bench flow's text) from a directory of its own. */
  Server instance(String name, String flow) throws Exception {
    Path flows = Files.createDirectories(dir.resolve(name));
    Files.writeString(flows.resolve("bench.json"), flow);
    Server server = Server.start(vertx, TestConfig.withRedis(TestConfig.create(flows.toString(), null), redis.url()),
        Clock.systemUTC()).await();
    servers.add(server);
    return server;
  }

  static String benchFlow() throws Exception {
    return Files.readString(Path.of("bench/flows/bench.json")).replace("../../flows/flow.schema.json",
        "flow.schema.json");
  }

  static String expectedReadback(String account) {
    return "Your account is " + account + ".";
  }

  @Test
  @DisplayName("callbacks alternate between two instances and each is sent twice, the repeat to the other one: "
      + "every call completes, every repeat gets the first answer, and Redis keeps only tombstones")
  void alternating() throws Exception {
    Server a = instance("a", benchFlow());
    Server b = instance("b", benchFlow());
    AlternatingBalancer balancer = AlternatingBalancer.start(vertx, List.of(a.port(), b.port())).await();
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).compressed(1000).withDuplicates());
    List<Future<Transcript>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(simulator.inbound(CALLER, LINE, CallerScript.parse("press 3; press " + (100_000 + i) + "#")));
    }
    RedisSessionStore shared = new RedisSessionStore(RedisLink.open(vertx, redis.url(), "standalone", null),
        new Lifetimes(Duration.ofHours(1), Duration.ofMinutes(1)), Duration.ZERO);
    for (int i = 0; i < calls.size(); i++) {
      Transcript t = calls.get(i).await();
      assertEquals(List.of(), t.protocolErrors(), t.toString());
      assertEquals(List.of(MENU, "Enter your account number, then hash.", expectedReadback(String.valueOf(100_000 + i)),
          "Goodbye."), t.heard(), t.toString());
      assertEquals("ivr-hangup", t.outcome());
      List<Integer> route = balancer.route(t.sessionId());
      for (int k = 1; k < route.size(); k++) {
        assertNotEquals(route.get(k - 1), route.get(k), "callbacks of one call alternate: " + route);
      }
      assertTrue(shared.get(t.sessionId()).await().ended(), "the call ended in the shared store");
    }
    simulator.close();
    assertTrue(balancer.served(0) > 200 && balancer.served(1) > 200, balancer.served(0) + " / " + balancer.served(1));
    assertEquals(List.of(), shared.live().await(), "no live call left");
    shared.close().await();
    balancer.close().await();
  }

  @Test
  @DisplayName("a call that started on version 1 continues on version 1 on an instance that has loaded version 2")
  void pinnedVersionAcrossInstances() throws Exception {
    Server a = instance("a", benchFlow());
    Server b = instance("b", benchFlow().replace(MENU, MENU_V2));
    String call = java.util.UUID.randomUUID().toString();
    JsonObject reference = newCall(a, call);
    JsonObject first = post(b, "/getIvrCommand", ivr(call, reference, "r1"));
    assertEquals(MENU, FakeCall.heard(first), "version 1's menu, from the instance on version 2");
    JsonObject second = post(a, "/getIvrCommand", ivr(call, reference, "r2")
        .put("dtmfParams", new JsonObject().put("dtmfMatch", "3").put("reason", "maxDigits")));
    assertEquals("Enter your account number, then hash.", FakeCall.heard(second));

    String other = java.util.UUID.randomUUID().toString();
    JsonObject onB = newCall(b, other);
    assertNotEquals(reference.getString("version"), onB.getString("version"));
    assertEquals(MENU_V2, FakeCall.heard(post(a, "/getIvrCommand", ivr(other, onB, "r1"))),
        "and the other way round");
  }

  @Test
  @DisplayName("a call whose version no instance can provide gets the failsafe answer, not an error")
  void unknownVersion() throws Exception {
    Server a = instance("a", benchFlow());
    Server b = instance("b", benchFlow().replace(MENU, MENU_V2));
    String call = java.util.UUID.randomUUID().toString();
    JsonObject reference = newCall(a, call);
    redis.command("DEL", "cf:flow:bench@" + reference.getString("version"));
    JsonObject answer = post(b, "/getIvrCommand", ivr(call, reference, "r1"));
    assertEquals(Boolean.TRUE, answer.getBoolean("hangup"), answer.encode());
    assertEquals("Sorry, we cannot take your call.", FakeCall.heard(answer));
  }

  @Test
  @DisplayName("an outbound call placed on one instance is listed, moved and hung up from the other, its callbacks "
      + "alternating between them")
  void outboundAcrossInstances() throws Exception {
    int apiPort = freePort();
    Server a = outboundInstance("a", apiPort);
    Server b = outboundInstance("b", apiPort);
    AlternatingBalancer balancer = AlternatingBalancer.start(vertx, List.of(a.port(), b.port())).await();
    String callee = "sip:+46700000001@trunk.test";
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).compressed(10)
        .withCallee(callee, new Callee.Answer(500, 600_000)));
    MediaserviceApi api = simulator.startApi(apiPort, MediaserviceApi.tokens("api-token"),
        MediaserviceApi.scripts(Map.of(callee, ""))).await();

    String moved = place(a);
    assertEquals("prompted", awaitPrompted(b, moved), "B sees the call A placed, waiting in the menu");
    JsonObject listed = admin(b, HttpMethod.GET, "/api/calls", null).bodyAsJsonObject();
    assertEquals(moved, listed.getJsonArray("items").getJsonObject(0).getString("callId"));
    assertEquals(202, admin(b, HttpMethod.POST, "/api/calls/" + moved + "/interrupt",
        new JsonObject().put("goto", "special")).statusCode());
    Transcript first = api.placedCalls().get(0).await();
    assertEquals(List.of("Hello Ada. Press 1 to confirm.", "This is the special state."), first.heard(),
        first.toString());

    String hungUp = place(b);
    awaitPrompted(a, hungUp);
    assertEquals(202, admin(a, HttpMethod.DELETE, "/api/calls/" + hungUp, null).statusCode());
    assertEquals("api-hangup", api.placedCalls().get(1).await().outcome());
    assertEquals("operatorHangup:ask", admin(b, HttpMethod.GET, "/api/calls/" + hungUp, null)
        .bodyAsJsonObject().getString("endReason"));
    assertTrue(balancer.served(0) > 0 && balancer.served(1) > 0);
    simulator.close().await();
    balancer.close().await();
  }

  /** An instance that places outbound calls through the simulator's REST API at {@code apiPort}. */
  Server outboundInstance(String name, int apiPort) throws Exception {
    Path flows = Files.createDirectories(dir.resolve(name));
    Files.copy(Path.of("src/test/resources/talkback/notify.json"), flows.resolve("notify.json"));
    AppConfig config = TestConfig.withMediaservice(TestConfig.create(flows.toString(), null),
        "http://127.0.0.1:" + apiPort, "api-token");
    Server server = Server.start(vertx, TestConfig.withRedis(config, redis.url()), Clock.systemUTC()).await();
    servers.add(server);
    return server;
  }

  String place(Server server) {
    var placed = admin(server, HttpMethod.POST, "/api/calls", new JsonObject()
        .put("to", "+46700000001").put("flow", "notify").put("variables", new JsonObject().put("name", "Ada")));
    assertEquals(201, placed.statusCode(), placed.bodyAsString());
    return placed.bodyAsJsonObject().getString("callId");
  }

  String awaitPrompted(Server server, String callId) throws InterruptedException {
    return eventually("the call " + callId + " is prompted", () -> admin(server, HttpMethod.GET,
        "/api/calls/" + callId, null).bodyAsJsonObject().getString("phase"), "prompted"::equals);
  }

  HttpResponse<Buffer> admin(Server server, HttpMethod method, String path,
                                                     JsonObject body) {
    var request = client.request(method, server.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  /** Starts the call on {@code server}; returns its sessionReferenceId (with the flow version). */
  JsonObject newCall(Server server, String call) {
    return post(server, "/newCall", new JsonObject().put("sessionId", call).put("callingParty", CALLER)
        .put("calledParty", LINE)).getJsonObject("sessionReferenceId");
  }

  static JsonObject ivr(String call, JsonObject reference, String replyId) {
    return new JsonObject().put("sessionId", call).put("replyId", replyId).put("sessionReferenceId", reference);
  }

  JsonObject post(Server server, String path, JsonObject body) {
    var response = client.post(server.port(), "127.0.0.1", path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.encode())).await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }
}
