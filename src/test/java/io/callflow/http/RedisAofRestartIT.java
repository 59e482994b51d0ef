package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.ReportConfig;
import io.callflow.session.RedisProcess;
import io.callflow.session.SilentProxy;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis with the recommended persistence (appendonly yes, appendfsync everysec) restarted under load: no call and
 * no record is lost. Calls that were live keep going after the restart; notifications that arrived while Redis was
 * away were kept in the local journal and applied when it came back, so every call that callflow started has
 * exactly its record, with the ending it really had. A Redis stopped with SIGTERM runs and persists the commands it
 * has read and closes the connections before their replies go out: a write that ended a call can be stored while
 * callflow saw only a broken connection ({@link #lostReply} makes that happen on purpose).
 */
class RedisAofRestartIT {

  @Test
  @DisplayName("Redis with AOF restarted under load: every call callflow started is exported with its real ending, "
      + "notifications answered during the outage were kept and applied, none expired")
  void restartWithAof(@TempDir Path dir) throws Exception {
    Path records = dir.resolve("records/activity.jsonl");
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(Files.createDirectories(dir.resolve("redis")),
        "--appendonly", "yes", "--appendfsync", "everysec")) {
      Server server = Server.start(vertx, config(dir, redis.url(), records), Clock.systemUTC()).await();
      // Slow callers: many calls are mid-way (live in Redis) when it goes down, and end while it is away or after.
      Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(20).withTimeout(6000));
      List<Future<Transcript>> calls = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(15);
      }
      redis.stop();
      for (int i = 120; i < 160; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(25);
      }
      redis.launch();
      for (int i = 160; i < 260; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(15);
      }
      Map<String, Transcript> started = new HashMap<>();
      int failsafe = 0;
      int gaveUp = 0;
      for (Future<Transcript> call : calls) {
        Transcript t = call.await();
        if (!t.protocolErrors().isEmpty()) {
          // The simulator gave up on a callback (a machine too busy to answer in 6 s): that call ends there for the
          // simulated mediaservice, which sends nothing more, so it has no record until its session expires.
          gaveUp++;
          continue;
        }
        boolean refused = t.answers().stream().anyMatch(a -> a.contains("temporarilyUnavailable"));
        if (refused) {
          failsafe++;
        } else {
          started.put(t.sessionId(), t);
        }
      }
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      Map<String, JsonObject> exported = exported(records);
      while (!exported.keySet().containsAll(started.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        exported = exported(records);
      }
      Map<String, JsonObject> all = exported;
      List<String> missing = started.keySet().stream().filter(id -> !all.containsKey(id)).toList();
      System.out.printf("Redis AOF restart: %d calls, %d started by callflow, %d given the failsafe at /newCall, "
          + "%d abandoned by the simulator, %d records, %d missing%n", calls.size(), started.size(), failsafe, gaveUp,
          exported.size(), missing.size());
      assertTrue(started.size() >= calls.size() / 2, "most calls ran: " + started.size());
      assertEquals(List.of(), missing, "every call callflow started has its record: "
          + missing.stream().map(id -> started.get(id).toString()).toList());
      List<String> expired = started.keySet().stream()
          .filter(id -> "expired".equals(all.get(id).getJsonObject("ending").getString("kind"))).toList();
      assertEquals(List.of(), expired, "no call that completed is reported as expired");
      assertTrue(failsafe > 0, "the outage was felt at /newCall");
      simulator.close();
      server.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a /sessionCompleted whose write Redis ran but whose reply never came (the connection closed first, as "
      + "when Redis stops) is kept, answered 200, and the call's record is still exported: the instance takes over "
      + "the record entry it lost track of")
  void lostReply(@TempDir Path dir) throws Exception {
    Path records = dir.resolve("records/activity.jsonl");
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(Files.createDirectories(dir.resolve("redis")));
         SilentProxy proxy = new SilentProxy(redis.port())) {
      Server server = Server.start(vertx, config(dir, proxy.url(), records), Clock.systemUTC()).await();
      FakeCall call = new FakeCall(io.vertx.ext.web.client.WebClient.create(vertx), server.port());
      call.newCall(io.callflow.Fixtures.CALLER, ScaleOutIT.LINE);
      call.ivr();
      proxy.silenceFrom("EVALSHA");
      java.util.concurrent.CompletableFuture<JsonObject> completed =
          java.util.concurrent.CompletableFuture.supplyAsync(call::completed);
      io.callflow.Eventually.eventually("Redis ran the write that ends the call",
          () -> !((List<?>) redis.command("KEYS", "cf:*:e:*")).isEmpty());
      proxy.cut();
      assertEquals(new JsonObject(), completed.get(30, java.util.concurrent.TimeUnit.SECONDS),
          "/sessionCompleted answered as kept");
      JsonObject record = io.callflow.Eventually.eventually("the call's record is exported",
          () -> exported(records).get(call.sessionId), java.util.Objects::nonNull);
      assertEquals("completed", record.getJsonObject("ending").getString("kind"), record.encode());
      io.callflow.Eventually.eventually("and its entry is done",
          () -> ((List<?>) redis.command("KEYS", "cf:*:e:*")).isEmpty());
      server.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("an idle call the reaper ends in Redis is kept like any other: its tombstone and its record's entry in "
      + "one write, the record exported as expired, then the entries done")
  void expiredCallKept(@TempDir Path dir) throws Exception {
    Path records = dir.resolve("records/activity.jsonl");
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(Files.createDirectories(dir.resolve("redis")))) {
      io.callflow.config.AppConfig config = config(dir, redis.url(), records);
      io.callflow.config.AppConfig.Sessions sessions = config.session();
      config = TestConfig.with(config, new io.callflow.config.AppConfig.Sessions(sessions.store(),
          sessions.ttlSeconds(), sessions.tombstoneSeconds(), 1, sessions.redis()));
      MutableClock clock = new MutableClock(java.time.Instant.now());
      Server server = Server.start(vertx, config, clock).await();
      FakeCall call = new FakeCall(io.vertx.ext.web.client.WebClient.create(vertx), server.port());
      call.newCall(io.callflow.Fixtures.CALLER, ScaleOutIT.LINE);
      call.ivr();
      // The caller goes silent for longer than the session's time to live, as the reaper's clock sees it.
      clock.set(clock.instant().plusSeconds(sessions.ttlSeconds() + 1));
      JsonObject record = io.callflow.Eventually.eventually("the idle call's record is exported",
          () -> exported(records).get(call.sessionId), java.util.Objects::nonNull);
      assertEquals("expired", record.getJsonObject("ending").getString("kind"), record.encode());
      io.callflow.Eventually.eventually("its entries are done, its tombstone stays",
          () -> ((List<?>) redis.command("KEYS", "cf:*:e:*")).isEmpty()
              && redis.command("GET", io.callflow.session.RedisSessionStore.keyOf(call.sessionId)) != null);
      server.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  /** One instance on the bench flow and the Redis at {@code redisUrl}, exporting records to {@code records}. */
  private static io.callflow.config.AppConfig config(Path dir, String redisUrl, Path records) throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("bench.json"), ScaleOutIT.benchFlow());
    // A deadline with room for a busy machine: these tests are about what is kept, not about latency.
    io.callflow.config.AppConfig plain = TestConfig.create(flows.toString(), null);
    io.callflow.config.AppConfig.Server server0 = plain.server();
    io.callflow.config.AppConfig base = TestConfig.with(plain, new io.callflow.config.AppConfig.Server(
        server0.host(), server0.port(), server0.basePath(), server0.instances(), server0.bodyLimitBytes(), 3000,
        server0.warmupSeconds()));
    return TestConfig.withReport(TestConfig.withRedis(base, redisUrl),
        new ReportConfig(dir.resolve("outbox").toString(), 168, 50, 1000,
            List.of(new ReportConfig.Jsonl("file", records.toString(), 1 << 24, 3))));
  }

  private static Future<Transcript> call(Simulator simulator, int i) {
    return simulator.inbound(io.callflow.Fixtures.CALLER, ScaleOutIT.LINE,
        CallerScript.parse("press 3; wait 2s; press " + (100_000 + i) + "#"));
  }

  /** The exported records by callId; a duplicate must be the same record (at-least-once, same id). */
  private static Map<String, JsonObject> exported(Path records) throws java.io.IOException {
    Map<String, JsonObject> byCall = new HashMap<>();
    if (!Files.exists(records)) {
      return byCall;
    }
    for (String line : Files.readAllLines(records)) {
      JsonObject record = new JsonObject(line);
      JsonObject before = byCall.put(record.getString("callId"), record);
      if (before != null) {
        assertEquals(before.getString("id"), record.getString("id"), "a duplicate is the same record");
      }
    }
    return byCall;
  }
}
