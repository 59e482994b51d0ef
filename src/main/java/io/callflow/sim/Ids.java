package io.callflow.sim;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Ids as the mediaservice makes them: time-based UUIDs and opaque JWT-looking replyIds. */
public final class Ids {

  /** 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
  private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;
  private static final AtomicLong LAST = new AtomicLong();
  private static final long NODE = new SecureRandom().nextLong() & 0x0000FFFFFFFFFFFFL | 0x0000010000000000L;
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private Ids() {
  }

  /** A version-1 (time-based) UUID like the mediaservice's sessionIds. */
  static String timeUuid() {
    long now = System.currentTimeMillis() * 10_000 + UUID_EPOCH_OFFSET;
    long time = LAST.updateAndGet(last -> Math.max(last + 1, now));
    long msb = (time << 32) | ((time >>> 16) & 0xFFFF0000L) | 0x1000L | ((time >>> 48) & 0x0FFFL);
    long lsb = 0x8000000000000000L | ((long) ThreadLocalRandom.current().nextInt(0x3FFF) << 48) | NODE;
    return new UUID(msb, lsb).toString();
  }

  /** A SIP Call-ID as a SIP stack makes them: random, at the media node's address. */
  static String sipCallId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@" + CallbackClient.IVR_SERVER;
  }

  /**
   * An HS256-JWT-looking token: callflow must treat it as opaque. As long as the vendor's (about 260 characters for
   * a domain like customer.prod-eu-north-1.iotcomms.io), since a server that keeps replyIds pays for their length.
   */
  public static String replyId(String domain) {
    long issued = System.currentTimeMillis() / 1000;
    String payload = "{\"domain\":\"" + domain + "\",\"nonce\":\"" + UUID.randomUUID() + "\",\"iat\":" + issued
        + ",\"exp\":" + (issued + 3600) + "}";
    byte[] signature = new byte[32];
    ThreadLocalRandom.current().nextBytes(signature);
    return HEADER + "." + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + URL.encodeToString(signature);
  }
}
