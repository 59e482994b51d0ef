package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs many simulated calls against one callflow: either open (calls start on schedule at {@code rate} per second,
 * whatever the server does) or closed ({@code concurrency} calls at a time). Stops by itself after {@code calls}
 * calls or {@code durationSeconds}, whichever comes first.
 */
public final class LoadTest {

  /** What to run; {@code rate} 0 means closed model with {@code concurrency} calls in flight. */
  public record Plan(int calls, double rate, int concurrency, int durationSeconds, String from, String to,
                     Supplier<CallerScript> scripts) {
  }

  /** Calls started, completed, and failed (by first protocol error), and how calls ended. */
  public record Progress(AtomicInteger started, AtomicInteger completed, AtomicInteger failed,
                         Map<String, AtomicInteger> failures, Map<String, AtomicInteger> outcomes) {
    static Progress empty() {
      return new Progress(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
          new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    public Map<String, Integer> sorted(Map<String, AtomicInteger> counts) {
      Map<String, Integer> sorted = new TreeMap<>();
      counts.forEach((k, v) -> sorted.put(k, v.get()));
      return sorted;
    }
  }

  private final Vertx vertx;
  private final Simulator simulator;
  private final Plan plan;
  private final Progress progress = Progress.empty();
  private final Promise<Progress> done = Promise.promise();
  private long deadlineNanos;
  private volatile boolean stopping;

  public LoadTest(Vertx vertx, Simulator simulator, Plan plan) {
    this.vertx = vertx;
    this.simulator = simulator;
    this.plan = plan;
  }

  public Progress progress() {
    return progress;
  }

  public Future<Progress> run() {
    long start = System.nanoTime();
    deadlineNanos = start + plan.durationSeconds() * 1_000_000_000L;
    if (plan.rate() > 0) {
      // One ticker starts every call that is due: no timer per call, and a late tick starts the backlog at once.
      long spacing = Math.round(1_000_000_000L / plan.rate());
      AtomicInteger scheduled = new AtomicInteger();
      vertx.setPeriodic(1, ticker -> {
        long now = System.nanoTime();
        while (scheduled.get() < plan.calls() && start + scheduled.get() * spacing <= now) {
          startCall(start + scheduled.getAndIncrement() * spacing);
        }
        if (scheduled.get() >= plan.calls() || stopping || now > deadlineNanos) {
          vertx.cancelTimer(ticker);
        }
      });
    } else {
      for (int i = 0; i < Math.min(plan.concurrency(), plan.calls()); i++) {
        startCall(System.nanoTime());
      }
    }
    vertx.setTimer(plan.durationSeconds() * 1000L + 30_000, t -> finish());
    return done.future();
  }

  private void startCall(long due) {
    if (stopping || System.nanoTime() > deadlineNanos || progress.started().get() >= plan.calls()) {
      finishIfIdle();
      return;
    }
    progress.started().incrementAndGet();
    simulator.inbound(plan.from(), plan.to(), plan.scripts().get(), due).onComplete(result -> {
      Transcript transcript = result.succeeded() ? result.result() : null;
      if (transcript == null || !transcript.protocolErrors().isEmpty()) {
        progress.failed().incrementAndGet();
        String reason = transcript == null ? String.valueOf(result.cause()) : transcript.protocolErrors().get(0);
        progress.failures().computeIfAbsent(shorten(reason), k -> new AtomicInteger()).incrementAndGet();
      } else {
        progress.completed().incrementAndGet();
        progress.outcomes().computeIfAbsent(transcript.outcome(), k -> new AtomicInteger()).incrementAndGet();
      }
      if (plan.rate() <= 0) {
        startCall(System.nanoTime());
      } else {
        finishIfIdle();
      }
    });
  }

  private void finishIfIdle() {
    int ended = progress.completed().get() + progress.failed().get();
    boolean noMore = progress.started().get() >= plan.calls() || System.nanoTime() > deadlineNanos;
    if (noMore && ended >= progress.started().get()) {
      finish();
    }
  }

  /** Stops starting calls; the result completes once every started call ended (or the grace time ran out). */
  private void finish() {
    stopping = true;
    done.tryComplete(progress);
  }

  /** Groups errors that differ only in ids: keep the words before any digit-heavy tail. */
  private static String shorten(String reason) {
    String text = reason.length() > 80 ? reason.substring(0, 80) : reason;
    return text.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>");
  }
}
