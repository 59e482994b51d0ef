package io.callflow.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Callback latencies per callback type, measured from when each callback was due (not when it was sent), so a
 * slow server cannot hide its queueing delay (no coordinated omission).
 */
public final class LatencyStats implements CallbackListener {

  /** Latencies up to a minute, three significant digits. */
  private static final long HIGHEST_NANOS = 60_000_000_000L;

  private final Map<String, Histogram> totals = new ConcurrentHashMap<>();
  private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
  private final Recorder interval = new Recorder(HIGHEST_NANOS, 3);
  private final LongAdder answered = new LongAdder();
  private final LongAdder failed = new LongAdder();

  @Override
  public void answered(String callback, long latencyNanos, boolean ok) {
    long value = Math.max(1, Math.min(latencyNanos, HIGHEST_NANOS));
    recorders.computeIfAbsent(callback, k -> new Recorder(HIGHEST_NANOS, 3)).recordValue(value);
    interval.recordValue(value);
    (ok ? answered : failed).increment();
  }

  /** Callbacks answered 200 so far. */
  public long answered() {
    return answered.sum();
  }

  public long failed() {
    return failed.sum();
  }

  /** The latencies recorded since the last call, over all callback types (for the live progress line). */
  public Histogram sinceLastInterval() {
    return interval.getIntervalHistogram();
  }

  /** Every latency so far, per callback type, sorted by name; call from one thread. */
  public synchronized Map<String, Histogram> byCallback() {
    recorders.forEach((name, recorder) -> totals.computeIfAbsent(name, k -> new Histogram(HIGHEST_NANOS, 3))
        .add(recorder.getIntervalHistogram()));
    return new TreeMap<>(totals);
  }
}
