package io.callflow.report;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters reporting adds to callflow's registry: the per-state funnel counted from each ended call's record
 * (no input, invalid, and where calls ended and how), and the exporters' backlog, deliveries, failures and
 * latency, and the outbox's fsync time. Tags are bounded: flow ids, versions, state ids, exporter names and the
 * kind of an end reason.
 */
public final class ReportMetrics {

  private final MeterRegistry registry;
  private final Timer sync;

  public ReportMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sync = Timer.builder("callflow.export.outbox.sync").description("outbox fsync, one per group of records")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
  }

  /** Funnel counters for one call: retries per menu or collect state, and the state it ended in and how. */
  void counted(ActivityRecord record) {
    for (ActivityRecord.Event event : record.events()) {
      if ("noInput".equals(event.kind())) {
        state("callflow.states.no_input", record, event.state()).increment();
      } else if ("invalid".equals(event.kind())) {
        state("callflow.states.invalid", record, event.state()).increment();
      }
    }
    ActivityRecord.Ending ending = record.ending();
    registry.counter("callflow.states.ended", "flow", record.flow(), "version", record.flowVersion(),
        "state", String.valueOf(ending.state()), "reason", ending.kind()).increment();
  }

  private io.micrometer.core.instrument.Counter state(String name, ActivityRecord record, String state) {
    return registry.counter(name, "flow", record.flow(), "version", record.flowVersion(), "state", String.valueOf(state));
  }

  /** The exporter's count of unfinished records, published as a gauge. */
  AtomicLong backlog(String exporter, long initial) {
    AtomicLong backlog = new AtomicLong(initial);
    Gauge.builder("callflow.export.backlog", backlog::get).description("records not yet delivered")
        .tag("exporter", exporter).register(registry);
    return backlog;
  }

  void delivered(String exporter) {
    registry.counter("callflow.export.delivered", "exporter", exporter).increment();
  }

  /** {@code reason}: retry, rejected, expired, unreadable or dropped. */
  void failed(String exporter, String reason) {
    registry.counter("callflow.export.failures", "exporter", exporter, "reason", reason).increment();
  }

  void sent(String exporter, long nanos) {
    registry.timer("callflow.export.batch", "exporter", exporter).record(nanos, TimeUnit.NANOSECONDS);
  }

  void synced(long nanos) {
    sync.record(nanos, TimeUnit.NANOSECONDS);
  }
}
