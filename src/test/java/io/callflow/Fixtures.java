package io.callflow;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;

/** The values most tests share: when a test call happens, who calls, and which number. */
public final class Fixtures {

  /** Monday 23 November 2026, 10:00 in Stockholm: inside the office hours of every test flow. */
  public static final Instant MONDAY_10 = Instant.parse("2026-11-23T09:00:00Z");
  /** The caller of most test calls. */
  public static final String CALLER = "+46701234567";
  /** The number the test-line flow answers (src/test/resources/flows/test-line.json). */
  public static final String LINE = "+46800000001";

  private Fixtures() {
  }

  /** A loopback port free right now, for a server or process a test starts on a port it must know in advance. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
