package io.callflow.session;

import io.callflow.flow.Session;
import java.time.Duration;
import java.time.Instant;

/** How long a session is kept: {@code ttl} after its last update while live, {@code tombstone} once ended. */
public record Lifetimes(Duration ttl, Duration tombstone) {

  public Instant expiry(Session session) {
    return session.updatedAt().plus(session.ended() ? tombstone : ttl);
  }
}
