package io.callflow.report;

import io.callflow.flow.Activity;
import io.callflow.flow.EndReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters reporting adds to callflow's registry: the per-state funnel counted from each ended call's record
 * (no input, invalid, and where calls ended and how), and the exporters' backlog, deliveries, failures and
 * latency, and the outbox's fsync time. Tags are bounded: flow ids, versions, state ids, exporter names and the
 * kind of an end reason.
 */
public final class ReportMetrics {

  /** Why an export failed: each gets a series from start. */
  static final List<String> FAILURE_REASONS = List.of("retry", "rejected", "expired", "unreadable", "dropped");

  private final MeterRegistry registry;
  private final Timer sync;
  private final Map<Series, Counter> series = new ConcurrentHashMap<>();

  public ReportMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sync = Timer.builder("callflow.export.outbox.sync").description("outbox fsync, one per group of records")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
  }

  /** Funnel counters for one call: retries per menu or collect state, and the state it ended in and how. */
  void counted(ActivityRecord record) {
    for (ActivityRecord.Event event : record.events()) {
      if (Activity.Kind.NO_INPUT.is(event.kind())) {
        state("callflow.states.no_input", record, event.state()).increment();
      } else if (Activity.Kind.INVALID.is(event.kind())) {
        state("callflow.states.invalid", record, event.state()).increment();
      }
    }
    ActivityRecord.Ending ending = record.ending();
    String state = String.valueOf(ending.state());
    String reason = reasonLabel(ending.reason(), ending.state());
    series.computeIfAbsent(new Series("callflow.states.ended", record.flow(), record.flowVersion(), state, reason),
        key -> Counter.builder(key.name()).description("calls ended, by the state they ended in and how (reason), "
            + "counted from each call's record").tags("flow", key.flow(), "version", key.version(), "state", state,
            "reason", reason).register(registry)).increment();
  }

  /**
   * The {@code reason} label for an engine end reason: its kind ("callerHangup:main" is callerHangup, the state
   * going in a label of its own), except that a forward's outcome is part of how the call ended
   * ("forward:busy" is forwardBusy, "forward:noAnswer" forwardNoAnswer, "forward:failed" forwardFailed).
   */
  public static String reasonLabel(String reason, String state) {
    if (reason == null) {
      return "unknown";
    }
    String kind = EndReason.kindOf(reason);
    String detail = EndReason.detailOf(reason) == null ? "" : EndReason.detailOf(reason);
    return EndReason.FORWARD.is(kind) && !detail.isEmpty() && !detail.equals(state)
        ? kind + Character.toUpperCase(detail.charAt(0)) + detail.substring(1) : kind;
  }

  /**
   * The {@code state} label for a call that ended for {@code reason} while at {@code at}: the state the reason
   * names ("hangup:goodbye", "callerHangup:main"), else where the call was.
   */
  public static String endState(String reason, String at) {
    String detail = EndReason.detailOf(reason);
    return detail == null || EndReason.FORWARD.is(EndReason.kindOf(reason)) ? (at == null ? "" : at) : detail;
  }

  private Counter state(String name, ActivityRecord record, String state) {
    return series.computeIfAbsent(new Series(name, record.flow(), record.flowVersion(), String.valueOf(state), null),
        key -> Counter.builder(name).description(name.endsWith("no_input")
                ? "no-input answers in a menu or collect, counted when the call ends"
                : "invalid answers in a menu or collect, counted when the call ends")
            .tags("flow", key.flow(), "version", key.version(), "state", key.state()).register(registry));
  }

  /**
   * One funnel series, the key of its counter: looked up here rather than built and registered for each ended
   * call, which sorts its tags and hashes its id every time.
   */
  private record Series(String name, String flow, String version, String state, String reason) {
  }

  /** The exporter's count of unfinished records, published as a gauge. */
  AtomicLong backlog(String exporter, long initial) {
    exporter(exporter);
    AtomicLong backlog = new AtomicLong(initial);
    Gauge.builder("callflow.export.backlog", backlog::get).description("records not yet delivered")
        .tag("exporter", exporter).register(registry);
    return backlog;
  }

  /** An exporter's series, at zero until its first delivery, failure and batch, so alerts see them from start. */
  void exporter(String exporter) {
    delivered(exporter, 0);
    for (String reason : FAILURE_REASONS) {
      failures(exporter, reason);
    }
    batch(exporter);
  }

  void delivered(String exporter) {
    delivered(exporter, 1);
  }

  private void delivered(String exporter, int count) {
    Counter.builder("callflow.export.delivered").description("activity records delivered").tag("exporter", exporter)
        .register(registry).increment(count);
  }

  /** {@code reason}: one of {@link #FAILURE_REASONS}. */
  void failed(String exporter, String reason) {
    failures(exporter, reason).increment();
  }

  private Counter failures(String exporter, String reason) {
    return Counter.builder("callflow.export.failures").description("export failures: retry (one per failed "
        + "attempt), rejected, expired, unreadable, dropped").tags("exporter", exporter, "reason", reason)
        .register(registry);
  }

  void sent(String exporter, long nanos) {
    batch(exporter).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer batch(String exporter) {
    return Timer.builder("callflow.export.batch").description("time to send one batch of records")
        .tag("exporter", exporter).register(registry);
  }

  void synced(long nanos) {
    sync.record(nanos, TimeUnit.NANOSECONDS);
  }
}
