package io.callflow.session;

import io.callflow.flow.Session;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Sessions in this process; {@code ConcurrentHashMap.compute} makes each update atomic per call. */
public final class InMemorySessionStore implements SessionStore {

  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> aliases = new ConcurrentHashMap<>();
  private final Lifetimes lifetimes;

  public InMemorySessionStore(Lifetimes lifetimes) {
    this.lifetimes = lifetimes;
  }

  @Override
  public <T> Future<T> update(String callId, Function<Session, Change<T>> fn) {
    Object[] value = new Object[1];
    try {
      sessions.compute(callId, (id, current) -> {
        Change<T> change = fn.apply(current);
        value[0] = change.value();
        return change.session();
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    @SuppressWarnings("unchecked")
    T result = (T) value[0];
    return Future.succeededFuture(result);
  }

  @Override
  public Future<Session> get(String callId) {
    return Future.succeededFuture(sessions.get(callId));
  }

  @Override
  public Future<Void> alias(String alias, String callId) {
    aliases.put(alias, callId);
    return Future.succeededFuture();
  }

  @Override
  public Future<String> resolve(String alias) {
    return Future.succeededFuture(aliases.get(alias));
  }

  @Override
  public Future<List<Session>> reap(Instant now) {
    List<Session> reaped = new ArrayList<>();
    sessions.forEach((callId, session) -> {
      if (lifetimes.expiry(session).isBefore(now) && sessions.remove(callId, session) && !session.ended()) {
        reaped.add(session);
      }
    });
    aliases.values().removeIf(callId -> !sessions.containsKey(callId));
    return Future.succeededFuture(reaped);
  }

  @Override
  public Future<List<Session>> live() {
    return Future.succeededFuture(sessions.values().stream().filter(s -> !s.ended()).toList());
  }

  @Override
  public Future<Integer> size() {
    return Future.succeededFuture(sessions.size());
  }
}
