package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Thousands of generated and mutated callbacks (broken JSON, wrong types, huge numbers, deep nesting, unicode,
 * nulls, unknown events, replays, ids of live calls) while real calls run: no 5xx, no blocked event loop, and the
 * real calls' transcripts are exactly those of calls run alone.
 */
class HostileInputTest {

  static final String[] PATHS = {"/newCall", "/getIvrCommand", "/callEvent", "/callNotify", "/callAnswered",
      "/recordingReady", "/sessionCompleted", "/getCallIdentifier", "/alarm", "/nothing"};
  static final String SCRIPT = "press 2; press 9; press 1";

  @Test
  @DisplayName("fuzzed callbacks next to real calls: no 5xx, no blocked event loop, real transcripts unchanged")
  void fuzz() throws Exception {
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    // Any handler that holds an event loop for 250 ms is reported as blocked (room for a noisy VM, none for I/O).
    Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(250).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
          new MutableClock(MONDAY_10)).await();
      SimConfig sim = SimConfig.local(server.port()).compressed(200)
          .withCallee("sip:internet@pbx.test", new io.callflow.sim.Callee.Answer(500, 1000));
      Simulator alone = new Simulator(vertx, sim);
      Transcript reference = alone.inbound("+46701234567", "+46800000001", CallerScript.parse(SCRIPT)).await();
      alone.close();

      WebClient client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(16));
      Random random = new Random(7);
      // A first round loads and compiles every path (class loading may hold a cold event loop), unchecked.
      send(client, server.port(), random, alone, 500);
      ((Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker")).addAppender(blocked);

      Simulator simulator = new Simulator(vertx, sim);
      List<Future<Transcript>> real = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        real.add(simulator.inbound("+46701234567", "+46800000001", CallerScript.parse(SCRIPT)));
      }
      int inputs = 3000;
      Map<Integer, Integer> statuses = send(client, server.port(), random, simulator, inputs);
      List<Transcript> transcripts = new ArrayList<>();
      for (Future<Transcript> call : real) {
        transcripts.add(call.await());
      }
      simulator.close();
      server.stop().await();
      long fivexx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
      System.out.printf("fuzz: %d hostile inputs, status counts %s, 5xx %d, blocked-loop warnings %d, real calls %d%n",
          inputs, statuses, fivexx, blocked.list.size(), transcripts.size());
      assertEquals(0, fivexx, statuses.toString());
      assertEquals(0, statuses.getOrDefault(0, 0), "every request was answered");
      assertEquals(List.of(), blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
      for (Transcript transcript : transcripts) {
        assertEquals(List.of(), transcript.protocolErrors(), transcript.toString());
        assertEquals(reference.heard(), transcript.heard());
        assertEquals(reference.forwards(), transcript.forwards());
        assertEquals(reference.outcome(), transcript.outcome());
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Posts {@code inputs} hostile callbacks and counts the answers by status (0: no answer at all). */
  private static Map<Integer, Integer> send(WebClient client, int port, Random random, Simulator simulator, int inputs) {
    List<Future<Integer>> sent = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      String path = PATHS[random.nextInt(PATHS.length)];
      String body = hostileBody(random, simulator, i);
      sent.add(client.post(port, "127.0.0.1", path).putHeader("Content-Type",
              random.nextInt(10) == 0 ? "text/plain" : "application/json")
          .sendBuffer(Buffer.buffer(body)).map(response -> response.statusCode()).otherwise(0));
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<Integer> status : sent) {
      statuses.merge(status.await(), 1, Integer::sum);
    }
    return statuses;
  }

  /** A callback body that is broken, mistyped, oversized, deeply nested, or aimed at a live call's id. */
  private static String hostileBody(Random random, Simulator simulator, int i) {
    String victim = simulator.liveSessionIds().stream().findAny().orElse("nobody");
    switch (random.nextInt(12)) {
      case 0:
        return "{\"sessionId\": \"" + victim;
      case 1:
        return "{\"sessionId\": 12345678901234567890123, \"replyId\": 1e999, \"event\": true}";
      case 2:
        return "[".repeat(2000) + "]".repeat(2000);
      case 3:
        return "{\"a\":".repeat(500) + "1" + "}".repeat(500);
      case 4:
        return new JsonObject().put("sessionId", "ünïcødé-☎-" + i).put("replyId", "🙂").put("calledParty", "+46800000001")
            .put("event", "calledPartyDrop").encode();
      case 5:
        return new JsonObject().putNull("sessionId").putNull("replyId").putNull("event").encode();
      case 6:
        // A live call's id with content no callback accepts (a well-formed callback naming a live call is, by
        // definition, the mediaservice speaking: that is what callback authentication is for).
        return new JsonObject().put("sessionId", victim).put("event", "splitTheAtom").put("replyId", new JsonObject())
            .put("sessionDuration", new JsonObject()).put("error", new JsonObject()).put("connectionId", new JsonArray())
            .put("calledParty", new JsonObject()).put("fileSize", "big").put("sipResponseCode", "x").encode();
      case 7:
        return new JsonObject().put("sessionId", "x".repeat(100_000)).encode();
      case 8:
        return new JsonObject().put("sessionId", "fuzz-" + i).put("replyId", "r").put("dtmfParams",
            new JsonObject().put("dtmfMatch", new JsonArray().add(1))).encode();
      case 9:
        return new JsonObject().put("sessionId", "fuzz-" + i).put("calledParty", "+46800000001").put("callingParty",
            "${secret}").put("xHeaders", new JsonObject().put("x-a", new JsonArray().add("1").add("2"))).encode();
      case 10:
        return "";
      default:
        return new JsonObject().put("sessionId", "fuzz-" + random.nextInt(50)).put("replyId", "replay")
            .put("event", "callingPartyDrop").put("sipResponseCode", random.nextInt()).encode();
    }
  }
}
