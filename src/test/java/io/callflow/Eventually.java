package io.callflow;

import java.time.Duration;
import java.util.function.Predicate;

/** How tests wait: poll what they expect until it holds or a deadline passes, never sleep a fixed time. */
public final class Eventually {

  /** Long enough for a loaded CI machine; a passing test returns as soon as the condition holds. */
  public static final Duration DEADLINE = Duration.ofSeconds(15);
  /** For a JVM process a test starts: a cold JVM on a loaded machine takes many seconds. */
  public static final Duration PROCESS_START = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 20;

  /** What a test waits for; may throw (a probe of a server that is not up yet), which counts as not yet. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** A value a test polls. */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  private Eventually() {
  }

  /** Returns once {@code condition} holds; fails naming {@code what} when it does not within the deadline. */
  public static void eventually(String what, Condition condition) throws InterruptedException {
    eventually(what, DEADLINE, condition);
  }

  /** As {@link #eventually(String, Condition)}, with a deadline of its own. */
  public static void eventually(String what, Duration deadline, Condition condition) throws InterruptedException {
    eventually(what, deadline, condition::holds, holds -> holds);
  }

  /** The first value of {@code probe} that is {@code wanted}; fails with the last value seen after the deadline. */
  public static <T> T eventually(String what, Probe<T> probe, Predicate<? super T> wanted)
      throws InterruptedException {
    return eventually(what, DEADLINE, probe, wanted);
  }

  private static <T> T eventually(String what, Duration within, Probe<T> probe, Predicate<? super T> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Object last = null;
    while (true) {
      try {
        T value = probe.get();
        if (wanted.test(value)) {
          return value;
        }
        last = value;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception notYet) {
        last = notYet;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what + " (last: " + last + ")");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
