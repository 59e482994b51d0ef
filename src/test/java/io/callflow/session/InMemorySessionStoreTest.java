package io.callflow.session;

import static io.callflow.Fixtures.MONDAY_10;

import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest {

  static final Instant T0 = MONDAY_10;
  private final InMemorySessionStore store = new InMemorySessionStore(
      new Lifetimes(Duration.ofMinutes(10), Duration.ofSeconds(30)));

  static Session session(String callId, Instant now) {
    return Session.start(callId, "f", "v1", Session.Direction.INBOUND,
        new Caller("+461", "+462", null, Map.of()), CallIds.of(callId, null), "main", now);
  }

  @Test
  @DisplayName("concurrent updates of one call from many threads apply serially: no update is lost")
  void noLostUpdates() throws Exception {
    store.update("c1", s -> new SessionStore.Change<>(session("c1", T0), null));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < 1000; i++) {
          store.update("c1", s -> {
            int count = Integer.parseInt(s.vars().getOrDefault("n", "0"));
            return new SessionStore.Change<>(s.withVar("n", String.valueOf(count + 1)), null);
          });
        }
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals("8000", store.get("c1").await().vars().get("n"));
  }

  @Test
  @DisplayName("an update returning no session removes it, and a failing function changes nothing")
  void removeAndFailure() {
    store.update("c1", s -> new SessionStore.Change<>(session("c1", T0), null));
    assertEquals("boom", store.update("c1", s -> {
      throw new IllegalStateException("boom");
    }).cause().getMessage());
    assertEquals("c1", store.get("c1").await().callId());
    store.update("c1", s -> new SessionStore.Change<>(null, null));
    assertNull(store.get("c1").await());
  }

  @Test
  @DisplayName("the reaper removes idle live calls after the TTL and ended calls after the tombstone time")
  void reaping() {
    store.update("idle", s -> new SessionStore.Change<>(session("idle", T0), null));
    store.update("ended", s -> new SessionStore.Change<>(session("ended", T0).end("completed"), null));
    store.update("busy", s -> new SessionStore.Change<>(session("busy", T0.plusSeconds(500)), null));

    assertEquals(List.of(), store.reap(T0.plusSeconds(20)).await());
    assertEquals(3, store.size().await());

    assertEquals(List.of(), store.reap(T0.plusSeconds(31)).await(), "a tombstone is not a live call");
    assertNull(store.get("ended").await());

    List<Session> reaped = store.reap(T0.plusSeconds(601)).await();
    assertEquals(List.of("idle"), reaped.stream().map(Session::callId).toList());
    assertEquals(1, store.size().await());
  }
}
