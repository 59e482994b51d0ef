package io.callflow.session;

import static io.callflow.session.InMemorySessionStoreTest.T0;
import static io.callflow.session.InMemorySessionStoreTest.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Work kept with the session in Redis: written in the same atomic write, never taken while its owner's lease lives,
 * taken over once it ran out, once-only work taken over at most once. Three stores stand for three instances; an
 * instance "dies" by no longer renewing its lease.
 */
class PendingEntriesIT extends OneRedis {

  static final Duration LEASE = Duration.ofMillis(600);

  RedisSessionStore a;
  RedisSessionStore b;
  RedisSessionStore c;

  @BeforeEach
  void threeInstances() {
    a = store();
    b = store();
    c = store();
  }

  static RedisSessionStore store() {
    return new RedisSessionStore(RedisLink.open(vertx, redis.url(), "standalone", null),
        RedisSessionStoreIT.LIFETIMES, Duration.ofMillis(500), LEASE);
  }

  private static Map<String, Character> states(List<SessionStore.Orphan> orphans) {
    return orphans.stream().collect(Collectors.toMap(SessionStore.Orphan::id, SessionStore.Orphan::state,
        (x, y) -> x, TreeMap::new));
  }

  /** Takes over with {@code taker} until something comes, renewing {@code alive} meanwhile; fails after 10 s. */
  private static List<SessionStore.Orphan> takeOverOnceDead(RedisSessionStore taker, RedisSessionStore... alive)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (RedisSessionStore other : alive) {
        other.takeOver().await();
      }
      List<SessionStore.Orphan> orphans = taker.takeOver().await();
      if (!orphans.isEmpty()) {
        return orphans;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing taken over within 10 s");
  }

  @Test
  @DisplayName("entries of a live owner are never taken; once its lease ran out, repeatable ones are taken again, a "
      + "once-only one not sent is taken to be sent, one maybe sent is reported unknown; the next taker sends nothing "
      + "twice")
  void takeOverRules() throws Exception {
    a.takeOver().await();
    a.update("c1", s -> new SessionStore.Change<>(session("c1", T0), null, List.of(
        new SessionStore.Pending("stop", false, "{\"type\":\"StopRecording\"}"),
        new SessionStore.Pending("start", true, "{\"type\":\"StartRecording\"}"),
        new SessionStore.Pending("place", true, "{\"type\":\"placeivrcall\"}")))).await();
    assertEquals("c1", b.get("c1").await().callId(), "the session and its entries are one write");
    assertTrue(a.sending("c1", "place").await(), "the owner marks its once-only entry before sending it");

    // While a renews its lease, nobody takes its entries, however long that lasts.
    long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
    while (System.nanoTime() < until) {
      a.takeOver().await();
      assertEquals(List.of(), b.takeOver().await(), "a live owner keeps its entries");
      Thread.sleep(100);
    }

    // a stops renewing: b takes over.
    List<SessionStore.Orphan> taken = takeOverOnceDead(b);
    assertEquals(Map.of("place", SessionStore.Orphan.UNKNOWN, "start", SessionStore.Orphan.SEND,
        "stop", SessionStore.Orphan.REPEAT), states(taken));
    assertFalse(a.sending("c1", "start").await(), "a stalled owner that comes back may not send what was taken");

    // b dies too before finishing: c repeats the repeatable one, and reports the once-only one as unknown.
    List<SessionStore.Orphan> again = takeOverOnceDead(c);
    assertEquals(Map.of("start", SessionStore.Orphan.UNKNOWN, "stop", SessionStore.Orphan.REPEAT), states(again));

    c.done("c1", "stop").await();
    assertEquals(0L, redis.number("EXISTS", "cf:{" + Math.floorMod("c1".hashCode(), 64) + "}:e:c1"),
        "done removes the last entry");
    assertEquals(List.of(), redis.command("ZRANGE", "cf:{" + Math.floorMod("c1".hashCode(), 64) + "}:pending",
        "0", "-1"), "and the call leaves the index");
  }

  @Test
  @DisplayName("a corrupt entry is handed back as corrupt and dropped, and the good entries of the call are taken")
  void corruptEntry() throws Exception {
    a.takeOver().await();
    a.update("c2", s -> new SessionStore.Change<>(session("c2", T0), null, List.of(
        new SessionStore.Pending("good", false, "{\"type\":\"Interrupt\"}")))).await();
    String entries = "cf:{" + Math.floorMod("c2".hashCode(), 64) + "}:e:c2";
    redis.command("HSET", entries, "bad", "garbage without owner or state");
    List<SessionStore.Orphan> taken = takeOverOnceDead(b);
    assertEquals(Map.of("bad", SessionStore.Orphan.CORRUPT, "good", SessionStore.Orphan.REPEAT), states(taken));
    assertEquals(List.of("good"), redis.command("HKEYS", entries));
  }

  @Test
  @DisplayName("a step whose write loses the compare-and-set leaves no entries behind; done entries are never taken")
  void onlyWhatWasWritten() throws Exception {
    a.takeOver().await();
    a.update("c3", s -> new SessionStore.Change<>(session("c3", T0), null)).await();
    a.update("c3", s -> new SessionStore.Change<>(s.withVar("n", "1"), null, List.of(
        new SessionStore.Pending("e1", false, "{\"type\":\"Interrupt\"}")))).await();
    a.done("c3", "e1").await();
    Thread.sleep(LEASE.multipliedBy(2).toMillis());
    assertEquals(List.of(), b.takeOver().await(), "nothing left to take");
  }

  @Test
  @DisplayName("a write Redis applied whose reply never came (the connection closed first, as when Redis stops) "
      + "leaves an entry its live owner no longer holds: the owner's own sweep takes it over, never one it holds")
  void lostReply() throws Exception {
    try (SilentProxy proxy = new SilentProxy(redis.port())) {
      RedisSessionStore p = new RedisSessionStore(RedisLink.open(vertx, proxy.url(), "standalone", null),
          RedisSessionStoreIT.LIFETIMES, Duration.ofMillis(500), LEASE);
      p.takeOver().await();
      p.update("c4", s -> new SessionStore.Change<>(session("c4", T0), null, List.of(
          new SessionStore.Pending("held", false, "{\"type\":\"Interrupt\"}")))).await();
      proxy.silenceFrom("EVALSHA");
      io.vertx.core.Future<Object> lost = p.update("c4", s -> new SessionStore.Change<>(s.withVar("n", "1"), null,
          List.of(new SessionStore.Pending("lost", false, "{\"type\":\"export\"}"))));
      String entries = "cf:{" + Math.floorMod("c4".hashCode(), 64) + "}:e:c4";
      io.callflow.Eventually.eventually("Redis applied the write",
          () -> redis.number("HEXISTS", entries, "lost") == 1);
      proxy.cut();
      assertTrue(RedisSessionStoreIT.failed(lost), "the writer learnt nothing but a broken connection");

      List<SessionStore.Orphan> adopted = io.callflow.Eventually.eventually("its own sweep takes it over",
          () -> p.takeOver().await(), taken -> !taken.isEmpty());
      assertEquals(Map.of("lost", SessionStore.Orphan.REPEAT), states(adopted),
          "the entry it lost track of, and not the one it still carries");
      p.done("c4", "lost").await();
      assertEquals(List.of(), p.takeOver().await(), "once done, nothing more");
      p.close().await();
    }
  }

  @Test
  @DisplayName("a reaper that claims an idle call keeps its session and writes its claim entry in the same step: if it "
      + "dies before the call's record is kept, another instance takes the claim over and finds the session")
  void claimOfAnIdleCall() throws Exception {
    SessionStore.Pending claim = new SessionStore.Pending("expire", false, "{\"type\":\"expire\",\"data\":\"\"}");
    a.update("c5", s -> new SessionStore.Change<>(session("c5", T0), null)).await();
    b.update("c6", s -> new SessionStore.Change<>(session("c6", T0.plusSeconds(300)), null)).await();
    assertEquals(List.of("c5"), a.reap(T0.plusSeconds(601), claim).await().stream().map(Session::callId).toList());
    assertEquals("c5", b.get("c5").await().callId(), "the claimed session stays for whoever ends the call");
    assertEquals(List.of(), b.reap(T0.plusSeconds(601), claim).await(), "claimed once");
    List<SessionStore.Orphan> taken = takeOverOnceDead(b);
    assertEquals(Map.of("expire", SessionStore.Orphan.REPEAT), states(taken));
    assertEquals(List.of("c6"), b.reap(T0.plusSeconds(901)).await().stream().map(Session::callId).toList(),
        "without a claim entry the session is removed, as before");
    assertEquals(null, b.get("c6").await());
  }
}
