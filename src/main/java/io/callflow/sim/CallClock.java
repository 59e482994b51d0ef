package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One call's simulated time. It only moves during pauses (prompts, key presses, ringing, talk), which run on
 * compressed real timers; callbacks take no simulated time, so the same script gives the same transcript however
 * fast callflow answers. A departure due during a pause cuts it, and so does interruptivrcommand.
 * Used on the call's own context only.
 */
final class CallClock {

  private record Departure(long at, Leave leave) {
  }

  private final Vertx vertx;
  private final SimConfig config;
  private final List<Departure> scheduled = new ArrayList<>();
  private long now;
  /** When the next callback was due in real time, for latency without coordinated omission; 0 when unset. */
  private long dueNanos;
  private Leave pending;
  private Promise<Long> waiting;
  private long timer = -1;
  private long waitFrom;
  private long waitMillis;
  private long waitStartNanos;
  private boolean interrupted;

  CallClock(Vertx vertx, SimConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Simulated milliseconds since the call started, as of the last settled pause. */
  long now() {
    return now;
  }

  /** Simulated now, counting the part of the running pause that has passed. */
  long current() {
    Promise<Long> wait = waiting;
    return wait == null ? now : waitFrom + Math.min(waitMillis, config.simulated(System.nanoTime() - waitStartNanos));
  }

  void startDueAt(long nanos) {
    dueNanos = nanos;
  }

  /** When the callback about to be posted was due; each pause moves it to its own end. */
  long takeDue() {
    long due = dueNanos != 0 ? dueNanos : System.nanoTime();
    dueNanos = 0;
    return due;
  }

  /** {@code leave} happens at simulated time {@code at} (or as soon as a pause runs, if that has passed). */
  void schedule(long at, Leave leave) {
    scheduled.add(new Departure(at, leave));
  }

  /** A departure decided elsewhere (the REST API): cuts the pause running now, or the next one. */
  void leaveNow(Leave leave) {
    Promise<Long> wait = waiting;
    if (wait == null) {
      pending = leave;
      return;
    }
    settle();
    wait.fail(leave);
  }

  /** interruptivrcommand: ends the running pause early; false when none runs. */
  boolean interrupt() {
    Promise<Long> wait = waiting;
    if (wait == null) {
      return false;
    }
    interrupted = true;
    long elapsed = settle();
    wait.complete(elapsed);
    return true;
  }

  /** Whether the last pause was cut by {@link #interrupt()}; asking clears it. */
  boolean takeInterrupted() {
    boolean was = interrupted;
    interrupted = false;
    return was;
  }

  /**
   * Waits {@code millis} of simulated time; completes with the simulated time that passed (less when interrupted),
   * or fails with the {@link Leave} that came first.
   */
  Future<Long> pause(long millis) {
    if (pending != null) {
      Leave leave = pending;
      pending = null;
      return Future.failedFuture(leave);
    }
    Departure next = scheduled.stream().min(Comparator.comparingLong(Departure::at)).orElse(null);
    // A departure due exactly when the pause ends lets it end: "press 1; hangup" still delivers the 1.
    boolean leaves = next != null && (next.at() <= now || next.at() < now + millis);
    long until = leaves ? Math.max(now, next.at()) : now + millis;
    if (leaves) {
      scheduled.remove(next);
    }
    long realMillis = config.real(until - now);
    dueNanos = System.nanoTime() + realMillis * 1_000_000;
    if (realMillis <= 0) {
      long elapsed = until - now;
      now = until;
      return leaves ? Future.failedFuture(next.leave()) : Future.succeededFuture(elapsed);
    }
    Promise<Long> wait = Promise.promise();
    waiting = wait;
    waitFrom = now;
    waitMillis = until - now;
    waitStartNanos = System.nanoTime();
    timer = vertx.setTimer(realMillis, t -> {
      if (waiting == wait) {
        waiting = null;
        now = until;
        if (leaves) {
          wait.fail(next.leave());
        } else {
          wait.complete(until - waitFrom);
        }
      }
    });
    return wait.future();
  }

  /** The call is over: no timer may fire into it. */
  void stop() {
    if (waiting != null) {
      vertx.cancelTimer(timer);
      waiting = null;
    }
    scheduled.clear();
    pending = null;
  }

  /** Ends the running pause where it is now; returns the simulated time it ran. */
  private long settle() {
    vertx.cancelTimer(timer);
    long elapsed = Math.min(waitMillis, config.simulated(System.nanoTime() - waitStartNanos));
    waiting = null;
    now = waitFrom + elapsed;
    dueNanos = System.nanoTime();
    return elapsed;
  }
}
