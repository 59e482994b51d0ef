package io.callflow.session;

import static io.callflow.Eventually.eventually;
import io.callflow.flow.Session;
import static io.callflow.session.InMemorySessionStoreTest.T0;
import static io.callflow.session.InMemorySessionStoreTest.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RedisSessionStore against a real redis-server; two stores on two links stand for two callflow instances. */
class RedisSessionStoreIT extends OneRedis {

  static final Lifetimes LIFETIMES = new Lifetimes(Duration.ofMinutes(10), Duration.ofSeconds(30));

  RedisSessionStore a;
  RedisSessionStore b;

  @BeforeEach
  void twoInstances() {
    a = store(LIFETIMES);
    b = store(LIFETIMES);
  }

  static RedisSessionStore store(Lifetimes lifetimes) {
    return new RedisSessionStore(RedisLink.open(vertx, redis.url(), "standalone", null), lifetimes,
        Duration.ofMillis(500));
  }

  static SessionStore.Change<Void> put(Session session) {
    return new SessionStore.Change<>(session, null);
  }

  static boolean failed(io.vertx.core.Future<?> future) {
    return future.transform(r -> io.vertx.core.Future.succeededFuture(r.failed())).await();
  }

  @Test
  @DisplayName("concurrent updates of one call from 8 threads on two instances apply serially: no update is lost")
  void noLostUpdates() throws Exception {
    a.update("c1", s -> put(session("c1", T0))).await();
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      RedisSessionStore instance = t % 2 == 0 ? a : b;
      done.add(pool.submit(() -> {
        for (int i = 0; i < 150; i++) {
          instance.update("c1", s -> {
            runs.incrementAndGet();
            int count = Integer.parseInt(s.vars().getOrDefault("n", "0"));
            return put(s.withVar("n", String.valueOf(count + 1)));
          }).await();
          applied.incrementAndGet();
        }
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(1200, applied.get());
    assertEquals("1200", b.get("c1").await().vars().get("n"));
    System.out.printf("1200 updates of one call took %d function runs%n", runs.get());
    assertTrue(runs.get() > 1200, "updates really collided (the function ran again on conflict): " + runs.get());
  }

  @Test
  @DisplayName("one instance writes, the other gets and lists it; removing and a failing function behave as in memory")
  void sharedAcrossInstances() {
    a.update("c1", s -> put(session("c1", T0))).await();
    a.update("c2", s -> put(session("c2", T0).end("completed"))).await();
    assertEquals("c1", b.get("c1").await().callId());
    assertEquals(List.of("c1"), b.live().await().stream().map(Session::callId).toList());
    assertEquals(2, b.size().await());
    assertEquals("boom", b.update("c1", s -> {
      throw new IllegalStateException("boom");
    }).transform(r -> io.vertx.core.Future.succeededFuture(r.cause().getMessage())).await());
    assertEquals(session("c1", T0), a.get("c1").await());
    b.update("c1", s -> put(null)).await();
    assertNull(a.get("c1").await());
    assertEquals(List.of(), a.live().await());
    assertEquals(1, a.size().await(), "the tombstone of c2");
  }

  @Test
  @DisplayName("an alias (an outbound call's mediaservice sessionId) set on one instance names the call on the other; "
      + "the store answers its readiness ping")
  void aliasAcrossInstances() {
    a.alias("ms-session-1", "call-1").await();
    assertEquals("call-1", b.resolve("ms-session-1").await());
    assertNull(b.resolve("ms-session-2").await());
    b.ping().await();
  }

  @Test
  @DisplayName("every write sets the key's TTL, an update renews it, and a key no one writes expires")
  void timeToLive() throws Exception {
    Lifetimes short_ = new Lifetimes(Duration.ofSeconds(1), Duration.ofMillis(700));
    RedisSessionStore store = store(short_);
    String key = RedisSessionStore.keyOf("c1");
    store.update("c1", s -> put(session("c1", T0))).await();
    long ttl = redis.number("PTTL", key);
    assertTrue(ttl > 1000 && ttl <= 1500, "TTL plus grace: " + ttl);
    eventually("the key's TTL runs down", () -> redis.number("PTTL", key) < 900);
    store.update("c1", s -> put(s.withVar("k", "v"))).await();
    long renewed = redis.number("PTTL", key);
    assertTrue(renewed > 1000, "an update renews the TTL: " + renewed);
    store.update("c2", s -> put(session("c2", T0).end("completed"))).await();
    eventually("a key no one writes expires, and so does the tombstone",
        () -> redis.number("EXISTS", key) == 0 && redis.number("EXISTS", RedisSessionStore.keyOf("c2")) == 0);
    store.close().await();
  }

  @Test
  @DisplayName("the reaper of either instance claims each idle call once; renewed and ended calls are not reported")
  void reapOnce() throws Exception {
    for (int i = 0; i < 60; i++) {
      String id = "idle-" + i;
      a.update(id, s -> put(session(id, T0))).await();
    }
    a.update("busy", s -> put(session("busy", T0.plusSeconds(500)))).await();
    a.update("renewed", s -> put(session("renewed", T0))).await();
    b.update("renewed", s -> put(s.touched(T0.plusSeconds(500)))).await();
    a.update("ended", s -> put(session("ended", T0).end("completed"))).await();
    var now = T0.plusSeconds(601);
    var fromA = a.reap(now);
    var fromB = b.reap(now);
    List<Session> reaped = new ArrayList<>(fromA.await());
    reaped.addAll(fromB.await());
    Set<String> ids = new HashSet<>();
    reaped.forEach(s -> assertTrue(ids.add(s.callId()), s.callId() + " reaped twice"));
    assertEquals(60, ids.size(), "every idle call reaped");
    assertTrue(ids.stream().allMatch(id -> id.startsWith("idle-")));
    assertEquals(java.util.Set.of("busy", "renewed"),
        java.util.Set.copyOf(b.live().await().stream().map(Session::callId).toList()));
    assertNull(a.get("idle-7").await());
    assertEquals(List.of(), a.reap(now).await(), "nothing left to claim");
    assertEquals(java.util.Set.of("busy", "renewed"),
        java.util.Set.copyOf(a.reap(T0.plusSeconds(1101)).await().stream().map(Session::callId).toList()),
        "the call renewed at +500 s expires at +1100 s, with the one started then, not at its first expiry");
    assertEquals(0, a.reap(T0.plusSeconds(31)).await().size());
  }

  @Test
  @DisplayName("with Redis gone, updates fail at once; when it is back, the same store works again by itself")
  void recovers() throws Exception {
    a.update("c1", s -> put(session("c1", T0))).await();
    redis.stop();
    try {
      long began = System.nanoTime();
      assertTrue(failed(a.update("c1", s -> put(s.withVar("k", "v")))), "no Redis, no update");
      assertTrue(failed(a.get("c1")));
      long millis = (System.nanoTime() - began) / 1_000_000;
      assertTrue(millis < 1000, "failed fast: " + millis + " ms");
    } finally {
      redis.launch();
    }
    eventually("the store reconnected by itself", () -> !failed(a.update("c2", s -> put(session("c2", T0)))));
    assertEquals("c2", b.get("c2").await().callId());
  }
}
