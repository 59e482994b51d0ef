package io.callflow;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** How tests wait: poll what they expect until it holds or a deadline passes, never sleep a fixed time. */
public final class Eventually {

  /** Long enough for a loaded CI machine; a passing test returns as soon as the condition holds. */
  public static final Duration DEADLINE = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 20;

  private Eventually() {
  }

  /** Returns once {@code condition} holds; fails naming {@code what} when it does not within the deadline. */
  public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    eventually(what, condition::getAsBoolean, holds -> holds);
  }

  /** The first value of {@code probe} that is {@code wanted}; fails with the last value seen after the deadline. */
  public static <T> T eventually(String what, Supplier<T> probe, Predicate<? super T> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      T value = probe.get();
      if (wanted.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what + " (last: " + value + ")");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
