package io.callflow.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * DTMF encryption for collects with {@code "encrypt": true} (mediaservice-protocol.md, DTMF): the IVR is asked for
 * {@code dtmf.encryption {"type":"md5","salt":S}} with a fresh salt per collection and reports the digits as the
 * lower-case hex MD5 of S followed by the digits (UTF-8). callflow keeps {@code md5:S:HASH} in the variable, never
 * the clear digits, and a branch compares by hashing its own value with S.
 */
public final class DtmfHash {

  private static final String PREFIX = "md5:";

  private DtmfHash() {
  }

  /**
   * A salt for one collection: derived from the call, the state, the moment and how far the call has come, so it
   * differs per collection while the engine stays pure (no randomness, no clock of its own).
   */
  static String salt(String callId, String state, Instant now, int step) {
    return md5Hex(callId + "/" + state + "/" + now.toEpochMilli() + "/" + step).substring(0, 16);
  }

  /** What the variable holds while the collection with {@code salt} runs. */
  static String pending(String salt) {
    return PREFIX + salt + ":";
  }

  /** The salt of a pending or collected value, or null when {@code value} is not one. */
  static String saltOf(String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return null;
    }
    int colon = value.indexOf(':', PREFIX.length());
    return colon < 0 ? null : value.substring(PREFIX.length(), colon);
  }

  /**
   * The value to keep for what the IVR reported under {@code salt}: its hash as is, or (a service that sent the
   * digits in clear) their hash, so the clear digits are not kept either way.
   */
  static String collected(String salt, String reported) {
    String hash = reported.matches("[0-9a-f]{32}") ? reported : md5Hex(salt + reported);
    return PREFIX + salt + ":" + hash;
  }

  /** Whether {@code reported} came hashed (else the service ignored the encryption and sent the digits). */
  static boolean isHash(String reported) {
    return reported.matches("[0-9a-f]{32}");
  }

  /** Whether {@code stored} (a plain value, or md5:S:HASH) stands for {@code candidate}. */
  static boolean matches(String stored, String candidate) {
    String salt = saltOf(stored);
    if (salt == null) {
      return stored.equals(candidate);
    }
    return stored.equals(PREFIX + salt + ":" + md5Hex(salt + candidate));
  }

  static String md5Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
