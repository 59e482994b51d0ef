package io.callflow.sim;

import io.vertx.core.json.JsonObject;

/**
 * The {@code dtmf} object of an IVR command: what to collect and when to stop, times in simulated milliseconds.
 *
 * @param maxDigits       digits that end the collection; absent means no limit
 * @param terminationKeys each character is a key that ends the collection (not part of the match)
 * @param encryption      echoed in dtmfParams as the vendor does; {@code {"type":"md5","salt":S}} hashes the digits
 *                        reported (dtmfMatch, dtmfBuffer) as the hex MD5 of S followed by the digits (the formula
 *                        mediaservice-protocol.md fixes; the vendor does not spell one out)
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

  /** {@code digits} as the IVR reports them: hashed under md5 encryption; no digits stay empty (no input). */
  String protect(String digits) {
    if (digits.isEmpty() || !"md5".equals(encryption.getValue("type"))) {
      return digits;
    }
    Object salt = encryption.getValue("salt");
    return md5Hex((salt instanceof String s ? s : "") + digits);
  }

  static String md5Hex(String text) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("MD5")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  boolean isTerminationKey(char key) {
    return terminationKeys.indexOf(key) >= 0;
  }

  private static long millis(JsonObject dtmf, String field, double fallbackSeconds) {
    Object value = dtmf.getValue(field);
    return Math.round((value instanceof Number n ? n.doubleValue() : fallbackSeconds) * 1000);
  }
}
