package io.callflow.sim;

import io.vertx.core.json.JsonObject;

/**
 * The {@code dtmf} object of an IVR command: what to collect and when to stop, times in simulated milliseconds.
 *
 * @param maxDigits       digits that end the collection; absent means no limit
 * @param terminationKeys each character is a key that ends the collection (not part of the match)
 * @param encryption      echoed in dtmfParams as the vendor does (the simulator does not hash)
 */
record Dtmf(boolean flush, int maxDigits, long firstTimeoutMillis, long betweenTimeoutMillis, String terminationKeys,
            JsonObject encryption) {

  /** Timeouts the simulator assumes when a command gives none (seconds, as the vendor's samples use). */
  static final double FIRST_TIMEOUT_SECONDS = 5;
  static final double BETWEEN_TIMEOUT_SECONDS = 3;

  static Dtmf parse(Object value) {
    if (!(value instanceof JsonObject dtmf)) {
      throw new ProtocolError("getIvrCommand answer has a dtmf that is not an object: " + value);
    }
    Object max = dtmf.getValue("maxDigits");
    Object key = dtmf.getValue("terminationKey");
    return new Dtmf(Boolean.TRUE.equals(dtmf.getValue("flush")),
        max instanceof Number n && n.intValue() > 0 ? n.intValue() : Integer.MAX_VALUE,
        millis(dtmf, "firstTimeout", FIRST_TIMEOUT_SECONDS), millis(dtmf, "betweenTimeout", BETWEEN_TIMEOUT_SECONDS),
        key instanceof String s ? s : "",
        dtmf.getValue("encryption") instanceof JsonObject e ? e : new JsonObject());
  }

  boolean isTerminationKey(char key) {
    return terminationKeys.indexOf(key) >= 0;
  }

  private static long millis(JsonObject dtmf, String field, double fallbackSeconds) {
    Object value = dtmf.getValue(field);
    return Math.round((value instanceof Number n ? n.doubleValue() : fallbackSeconds) * 1000);
  }
}
