package io.callflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.http.AlternatingBalancer;
import io.callflow.session.Lifetimes;
import io.callflow.session.RedisLink;
import io.callflow.session.RedisProcess;
import io.callflow.session.RedisSessionStore;
import io.callflow.flow.Session;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two callflow processes sharing one redis-server, behind a balancer that sends each call's callbacks to them in
 * turn; the simulator plays the mediaservice. Every call must end exactly as it would on one instance.
 */
class ScaleOutProcessIT {

  static final String LINE = "+46850009999";
  static final String MENU = "Press 1 for sales, 2 for support, 3 for your account.";

  @TempDir
  Path dir;
  Vertx vertx;
  WebClient client;
  RedisProcess redis;
  CallflowProcess a;
  CallflowProcess b;
  AlternatingBalancer balancer;
  RedisSessionStore shared;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    redis = RedisProcess.start(dir);
    a = CallflowProcess.start(dir, "a", "bench/flows", this::redis);
    b = CallflowProcess.start(dir, "b", "bench/flows", this::redis);
    a.awaitReady(client);
    b.awaitReady(client);
    balancer = AlternatingBalancer.start(vertx, List.of(a.port, b.port)).await();
    shared = new RedisSessionStore(RedisLink.open(vertx, redis.url(), "standalone", null),
        new Lifetimes(Duration.ofHours(4), Duration.ofMinutes(1)), Duration.ZERO);
  }

  private void redis(io.vertx.core.json.JsonObject config) {
    config.getJsonObject("session").put("store", "redis").getJsonObject("redis").put("url", redis.url());
    // These tests are about where calls go, not latency: a busy CI machine must not turn a slow answer into a failsafe.
    config.getJsonObject("server").put("callbackDeadlineMillis", 5000);
  }

  /** Unmeasured calls through both processes first, so their JIT has compiled the callback path. */
  private void warmUp() {
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).compressed(1000));
    List<Future<Transcript>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(call(simulator, i));
    }
    Future.join(calls).transform(done -> Future.succeededFuture()).await();
    simulator.close();
  }

  @AfterEach
  void stop() throws Exception {
    try (RedisProcess r = redis; CallflowProcess first = a; CallflowProcess second = b) {
      shared.close().await();
      balancer.close().await();
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("two processes share one Redis, every callback goes to the other process than the one before: "
      + "every call completes as on one instance, each started once, none left live")
  void alternatingProcesses() throws Exception {
    warmUp();
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).compressed(100));
    List<Future<Transcript>> calls = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      calls.add(call(simulator, i));
      Thread.sleep(10);
    }
    Outcome outcome = Outcome.of(calls, shared);
    simulator.close();
    System.out.printf("two processes, alternating: %s; callbacks answered by a %d, by b %d%n", outcome,
        balancer.served(0), balancer.served(1));
    assertEquals(List.of(), outcome.lost, failsafes());
    assertEquals(150, outcome.completed);
    for (Future<Transcript> call : calls) {
      List<Integer> route = balancer.route(call.await().sessionId());
      assertTrue(route.size() >= 5 && route.contains(0) && route.contains(1), route.toString());
      for (int k = 1; k < route.size(); k++) {
        assertNotEquals(route.get(k - 1), route.get(k), "callbacks of one call alternate: " + route);
      }
    }
    Map<String, Integer> started = merged(a.started(), b.started());
    for (Future<Transcript> call : calls) {
      assertEquals(1, started.getOrDefault(call.await().sessionId(), 0), "each call logged as started once");
    }
    assertEquals(List.of(), duplicates(started));
    assertEquals(List.of(), shared.live().await(), "no call left live in Redis");
  }

  @Test
  @DisplayName("kill -9 of one process during a load test: every call that had started finishes correctly on the "
      + "other, none lost, none started twice")
  void killOneProcess() throws Exception {
    warmUp();
    // Compressed 5 times, a call lasts a second or more: dozens are half-way through when the process dies.
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).compressed(5));
    List<Future<Transcript>> calls = new ArrayList<>();
    int inFlightAtKill = -1;
    for (int i = 0; i < 240; i++) {
      calls.add(call(simulator, i));
      Thread.sleep(25);
      if (i == 100) {
        inFlightAtKill = simulator.liveCalls();
        a.kill();
      }
    }
    Outcome outcome = Outcome.of(calls, shared);
    simulator.close();
    Map<String, Integer> started = merged(a.started(), b.started());
    List<String> twice = duplicates(started);
    System.out.printf("kill -9 under load: %s, %d duplicated; %d in flight at the kill, %d callbacks sent on to "
        + "the survivor%n", outcome, twice.size(), inFlightAtKill, balancer.retried());
    assertTrue(inFlightAtKill >= 10, "calls were half-way through at the kill: " + inFlightAtKill);
    assertTrue(balancer.retried() > 0, "callbacks meant for the dead process went to the other one");
    assertEquals(List.of(), outcome.lost, failsafes());
    assertEquals(240, outcome.completed);
    assertEquals(List.of(), twice, "no call started twice");
    assertEquals(List.of(), shared.live().await(), "no call left live in Redis");
    assertEquals(0, b.terminate(), "the survivor stops cleanly on SIGTERM, its Redis connections closed last");
    String log = java.nio.file.Files.readString(b.log);
    assertTrue(log.contains("callflow.stopped") && !log.contains("redis link closed"), log);
  }

  /** What the processes logged about failsafe answers, to explain a lost call. */
  private String failsafes() throws java.io.IOException {
    StringBuilder lines = new StringBuilder();
    for (CallflowProcess process : List.of(a, b)) {
      java.nio.file.Files.readAllLines(process.log).stream().filter(l -> l.contains("failsafe") || l.contains("redis."))
          .limit(20).forEach(l -> lines.append(l).append('\n'));
    }
    return lines.toString();
  }

  private static Future<Transcript> call(Simulator simulator, int i) {
    return simulator.inbound("+46701234567", LINE, CallerScript.parse("press 3; press " + (100_000 + i) + "#"));
  }

  /** Calls that ended as on one instance (same prompts, their own digits read back, ended in Redis), and the rest. */
  record Outcome(int started, int completed, List<String> lost) {

    static Outcome of(List<Future<Transcript>> calls, RedisSessionStore shared) {
      int completed = 0;
      List<String> lost = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        Transcript t = calls.get(i).await();
        List<String> expected = List.of(MENU, "Enter your account number, then hash.",
            "Your account is " + (100_000 + i) + ".", "Goodbye.");
        Session stored = shared.get(t.sessionId()).await();
        if (t.protocolErrors().isEmpty() && t.heard().equals(expected) && "ivr-hangup".equals(t.outcome())
            && stored != null && stored.ended()) {
          completed++;
        } else {
          lost.add(t.sessionId() + ": " + t.protocolErrors() + " heard " + t.heard() + " stored " + stored);
        }
      }
      return new Outcome(calls.size(), completed, lost);
    }

    @Override
    public String toString() {
      return started + " calls started, " + completed + " completed, " + lost.size() + " lost";
    }
  }

  private static Map<String, Integer> merged(Map<String, Integer> one, Map<String, Integer> other) {
    Map<String, Integer> all = new HashMap<>(one);
    other.forEach((id, n) -> all.merge(id, n, Integer::sum));
    return all;
  }

  private static List<String> duplicates(Map<String, Integer> started) {
    return started.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
  }
}
