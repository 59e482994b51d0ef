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

  /** What an update decided: the session to store (null removes it) and a value for the caller. */
  record Change<T>(Session session, T value) {
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
