package io.callflow.call;

import io.callflow.flow.EndReason;
import io.callflow.flow.Event;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.Position;
import io.callflow.flow.Session;
import io.callflow.report.ActivityRecords;
import io.callflow.report.ActivitySink;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps the session store periodically: calls whose session expired are ended and reported as expired, the live
 * calls are counted (callflow.calls.live), and calls past their maxDuration whose timer did not fire are hung up.
 */
public final class Reaper {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /** Keeps the sweep from racing the maxDuration timers that are about to fire. */
  private static final long OVERDUE_GRACE_MILLIS = 5_000;

  private final Vertx vertx;
  private final SessionStore store;
  private final FlowRegistry flows;
  private final CallDriver driver;
  private final ActivitySink activities;
  private final CallMetrics metrics;
  private final Clock clock;
  private final AtomicLong live = new AtomicLong();
  /** Whether the last sweep's store commands succeeded: part of callflow_ready. */
  private final AtomicBoolean storeAnswered = new AtomicBoolean(true);

  public Reaper(Vertx vertx, SessionStore store, FlowRegistry flows, CallDriver driver, ActivitySink activities,
                CallMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.flows = flows;
    this.driver = driver;
    this.activities = activities;
    this.metrics = metrics;
    this.clock = clock;
    metrics.gauge("callflow.calls.live", "calls not yet ended, as the last reaper sweep counted them", live::get);
  }

  /** Sweeps every {@code interval}; returns the timer's id, to cancel it on stop. */
  public long every(Duration interval) {
    return vertx.setPeriodic(interval.toMillis(), tick -> sweep()
        .andThen(done -> storeAnswered.set(done.succeeded()))
        .onSuccess(swept -> {
          swept.reaped().forEach(this::expired);
          overdue(swept.live());
        })
        .onFailure(e -> LOG.error("session.reap failed: {}", e.toString(), e)));
  }

  /** Whether the session store answered the last sweep (true before the first). */
  public boolean storeAnswered() {
    return storeAnswered.get();
  }

  /**
   * One sweep: removes expired sessions, then lists the live calls. In memory the sweep walks every session, and
   * in Redis it sends commands (the instance whose claim wins an expired call reports it); both are called on a
   * worker so no event loop stalls (Future.await() is refused on a worker in Vert.x 5, hence compose).
   */
  private Future<Sweep> sweep() {
    long began = System.nanoTime();
    // In Redis a claimed call keeps its session with a claim entry: its record is kept like any other's.
    SessionStore.Pending claim = store.takesOver() ? CallDriver.expireClaim() : null;
    return vertx.executeBlocking(() -> store.reap(clock.instant(), claim), false).compose(reaping -> reaping)
        .andThen(done -> metrics.store("reap", System.nanoTime() - began, done.succeeded()))
        .compose(reaped -> vertx.executeBlocking(store::live, false).compose(counting -> counting)
            .map(sessions -> {
              live.set(sessions.size());
              return new Sweep(reaped, sessions);
            }));
  }

  /** What a sweep found: the calls it ended as expired, and the calls still live. */
  private record Sweep(List<Session> reaped, List<Session> live) {
  }

  private void expired(Session s) {
    if (store.takesOver()) {
      driver.expire(s.callId(), EffectEntry.EXPIRE_ID);
      return;
    }
    LOG.info("call.ended callId={} flow={} state={} reason=expired", s.callId(), s.flowId(), s.at().state());
    metrics.ended(s.flowId(), EndReason.EXPIRED.wire(), s.at().state());
    activities.ended(ActivityRecords.build(flows.pinned(s.flowId(), s.flowVersion()).orElse(null),
        s.end(EndReason.EXPIRED.wire()), clock.instant()));
  }

  /** Calls past their maxDuration whose timer did not fire (it ran on an instance that has stopped): hung up now. */
  private void overdue(List<Session> live) {
    long due = clock.millis() - OVERDUE_GRACE_MILLIS;
    live.stream().filter(s -> s.deadlineMillis() > 0 && s.deadlineMillis() < due
            && s.at().phase() != Position.Phase.HANGING_UP)
        .forEach(s -> driver.apply(s.callId(), new Event.HangupRequested(EndReason.MAX_DURATION)));
  }
}
