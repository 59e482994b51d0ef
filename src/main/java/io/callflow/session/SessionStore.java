package io.callflow.session;

import io.callflow.flow.Session;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where sessions live. {@link #update} is the one write: it reads the call's session (null when there is none),
 * applies a pure function, and stores what it returns atomically, so two callbacks of one call never interleave.
 */
public interface SessionStore {

  /**
   * What an update decided: the session to store (null removes it), a value for the caller, and the work the step
   * ordered, stored in the same atomic write (see {@link Pending}).
   */
  record Change<T>(Session session, T value, List<Pending> pending) {

    public Change(Session session, T value) {
      this(session, value, List.of());
    }
  }

  /**
   * Work a step ordered that leaves the process (a mediaservice request, an http request, a record to export),
   * kept in the store with the session until it is {@link #done}: {@code body} is opaque to the store.
   * {@code once}: it must not be sent twice (placeivrcall, startrecording), so the sender first {@link #sending marks}
   * it, and a takeover of a marked one reports its outcome as unknown instead of sending it again.
   */
  record Pending(String id, boolean once, String body) {
  }

  /**
   * A pending entry this instance took over from an instance whose lease ran out. {@code state}: {@link
   * Orphan#REPEAT} may be carried out again, {@link Orphan#SEND} is a once-only entry its owner never sent (this
   * instance now holds it as sent, and sends it), {@link Orphan#UNKNOWN} a once-only entry that may or may not have
   * gone out (removed), {@link Orphan#CORRUPT} an entry that could not be read (removed).
   */
  record Orphan(String callId, String id, char state, String body) {
    public static final char REPEAT = 'r';
    public static final char SEND = 'o';
    public static final char UNKNOWN = 's';
    public static final char CORRUPT = 'x';
  }

  /** Applies {@code fn} atomically to the call's session; {@code fn} may run more than once and must be pure. */
  <T> Future<T> update(String callId, Function<Session, Change<T>> fn);

  Future<Session> get(String callId);

  /**
   * Lets {@code alias} (an outbound call's mediaservice sessionId) name the call {@code callId}, for the callbacks
   * that carry no callflow reference; it lives as long as the call.
   */
  Future<Void> alias(String alias, String callId);

  /** The callId an alias names, or null. */
  Future<String> resolve(String alias);

  /** Removes sessions idle longer than the TTL, and tombstones of ended calls; returns the live ones removed. */
  Future<List<Session>> reap(Instant now);

  /**
   * {@link #reap(Instant)}, keeping each claimed call's session and writing {@code claim} as an entry of this
   * instance in the same atomic step, so that if it dies before the call's record is kept, another instance ends
   * the call (sessions in Redis; in this process nothing outlives the reaper: as {@link #reap(Instant)}).
   */
  default Future<List<Session>> reap(Instant now, Pending claim) {
    return reap(now);
  }

  /** The calls not yet ended. */
  Future<List<Session>> live();

  /** Calls not yet ended, counted by "flowId@version". */
  default Future<Map<String, Integer>> liveCallsByVersion() {
    return live().map(sessions -> {
      Map<String, Integer> counts = new HashMap<>();
      sessions.forEach(s -> counts.merge(s.flowId() + "@" + s.flowVersion(), 1, Integer::sum));
      return counts;
    });
  }

  /**
   * Whether this store keeps {@link Pending} entries for other instances to take over (sessions in Redis). In this
   * process there is no other instance: entries are not even made, and effects run as they always did.
   */
  default boolean takesOver() {
    return false;
  }

  /**
   * Marks a once-only entry as being sent; false when this instance no longer owns it (taken over meanwhile), and it
   * must then not be sent. Sessions in this process have nothing to take over: always true.
   */
  default Future<Boolean> sending(String callId, String id) {
    return Future.succeededFuture(true);
  }

  /** The entry was carried out (or its failure reported to the flow): no one takes it over any more. */
  default Future<Void> done(String callId, String id) {
    return Future.succeededFuture();
  }

  /**
   * This instance stops carrying the entry out without having finished it (its outcome or its {@link #done} could
   * not be stored in time): if the entry is still stored, this instance's own sweep takes it over, as it would a
   * dead owner's. Sessions in this process keep no entries: nothing to do.
   */
  default void letGo(String callId, String id) {
  }

  /**
   * Renews this instance's lease, then takes over the pending entries of instances whose lease ran out. In this
   * process nothing can outlive its owner: none.
   */
  default Future<List<Orphan>> takeOver() {
    return Future.succeededFuture(List.of());
  }

  /** The number of sessions held, ended ones included. */
  Future<Integer> size();

  /** Lets go of connections, once the last callback was answered; sessions themselves stay where they are. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * Succeeds while the store can serve callbacks; readiness (/ready) asks it. A remote store answers with a cheap
   * round trip; sessions in this process are always reachable.
   */
  default Future<Void> ping() {
    return Future.succeededFuture();
  }
}
