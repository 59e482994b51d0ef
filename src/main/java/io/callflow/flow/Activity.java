package io.callflow.flow;

import java.time.Instant;

/**
 * One entry of a call's trail: at {@code atMillis} (epoch milliseconds, kept as a number so a trail stays small), in
 * {@code state}, {@code kind} happened (e.g. selected "2").
 */
public record Activity(long atMillis, String state, String kind, String detail) {

  public Activity(Instant at, String state, String kind, String detail) {
    this(at.toEpochMilli(), state, kind, detail);
  }

  public Instant at() {
    return Instant.ofEpochMilli(atMillis);
  }
}
