package io.callflow.call;

import io.callflow.flow.Effect;
import io.callflow.flow.Event;
import io.callflow.flow.Position;
import io.callflow.report.ActivitySink;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the work another instance ordered and did not finish before it died (sessions in Redis): every
 * {@code interval} this instance renews its lease and takes over the entries of owners whose lease ran out (see
 * {@link SessionStore#takeOver}). The rule per operation:
 * <ul>
 *   <li>interruptivrcommand, stoprecording, hangupparticipant: sent again (a repeat is harmless);</li>
 *   <li>http: a GET is requested again; any other method is not repeated, and the flow gets an error result that
 *       says why (logged, counted, in the record);</li>
 *   <li>startrecording, placeivrcall: sent if the owner never sent them (and, for a recording, the caller still records
 *       in that record state); when the owner may have sent them, the outcome is unknown and the flow is told so:
 *       the record state takes its failed exit, an outbound call ends as placeUnknown;</li>
 *   <li>a record to export: handed to the outbox again (records carry stable ids; a repeat is a duplicate);</li>
 *   <li>an idle call the reaper claimed: ended as expired, its record kept as for any call (a repeat finds it
 *       ended);</li>
 *   <li>an entry that cannot be read: logged, counted and dropped.</li>
 * </ul>
 */
public final class Takeover {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  private final Vertx vertx;
  private final SessionStore store;
  private final CallDriver driver;
  private final EffectRunner runner;
  private final ActivitySink activities;
  private final CallMetrics metrics;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  public Takeover(Vertx vertx, SessionStore store, CallDriver driver, EffectRunner runner, ActivitySink activities,
                  CallMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.driver = driver;
    this.runner = runner;
    this.activities = activities;
    this.metrics = metrics;
  }

  /** Sweeps every {@code interval} when the store keeps entries at all; returns the timer's id, or -1. */
  public long every(Duration interval) {
    return store.takesOver() ? vertx.setPeriodic(1, interval.toMillis(), tick -> sweep()) : -1;
  }

  /** One round; a round still running (a slow Redis) is not overtaken by the next one. */
  Future<Void> sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return store.takeOver()
        .onSuccess(orphans -> orphans.forEach(this::carryOver))
        .onFailure(e -> LOG.debug("effect.sweep failed: {}", e.toString()))
        .onComplete(done -> sweeping.set(false))
        .mapEmpty();
  }

  private void carryOver(SessionStore.Orphan orphan) {
    EffectEntry entry;
    try {
      entry = EffectEntry.decode(orphan.body());
    } catch (java.io.IOException | RuntimeException e) {
      corrupt(orphan, e);
      return;
    }
    if (orphan.state() == SessionStore.Orphan.CORRUPT) {
      corrupt(orphan, null);
      return;
    }
    metrics.takeover(entry.operation(), String.valueOf(orphan.state()));
    String callId = orphan.callId();
    if (orphan.state() == SessionStore.Orphan.UNKNOWN) {
      LOG.warn("effect.unknown callId={} operation={} cause=its instance stopped while sending it; not sent again",
          callId, entry.operation());
      driver.applyOutcome(callId, new Event.ApiFailed(entry.operation(), Event.ApiFailed.UNKNOWN));
      return;
    }
    LOG.info("effect.takenOver callId={} operation={} entry={}", callId, entry.operation(), orphan.id());
    run(orphan, entry)
        .onSuccess(v -> driver.settle(callId, orphan.id()))
        .onFailure(e -> {
          LOG.warn("effect.unsettled callId={} operation={} cause={}", callId, entry.operation(), e.toString());
          store.letGo(callId, orphan.id());
        });
  }

  private Future<?> run(SessionStore.Orphan orphan, EffectEntry entry) {
    String callId = orphan.callId();
    try {
      if (EffectEntry.EXPORT.equals(entry.type())) {
        return activities.keep(entry.record());
      }
      if (EffectEntry.EXPIRE.equals(entry.type())) {
        return driver.expire(callId, orphan.id());
      }
      if (EffectEntry.PLACE.equals(entry.type())) {
        return runner.place(callId, entry.placeCall(), driver).otherwiseEmpty();
      }
      Effect effect = entry.effect();
      if (effect == null) {
        throw new java.io.IOException("unknown entry type " + entry.type());
      }
      switch (effect.takeover()) {
        case TELL_FLOW:
          LOG.warn("effect.notRepeated callId={} effect={} cause=its instance stopped before the answer", callId,
              effect.getClass().getSimpleName());
          return driver.applyOutcome(callId, effect.notRepeated());
        case AT_MOST_ONCE:
          return startRecording(callId, entry, effect);
        default:
          break;
      }
      return runner.run(callId, entry.ids(), effect, driver);
    } catch (java.io.IOException | RuntimeException e) {
      corrupt(orphan, e);
      return Future.succeededFuture();
    }
  }

  /**
   * A recording is started late only while the caller still waits in the record state; once the call moved on it
   * would record nothing anyone stops, so the flow is told it did not start.
   */
  private Future<?> startRecording(String callId, EffectEntry entry, Effect effect) {
    return store.get(callId).compose(session -> {
      if (session != null && session.at().phase() == Position.Phase.RECORDING) {
        return runner.run(callId, entry.ids(), effect, driver).mapEmpty();
      }
      LOG.warn("effect.notStarted callId={} operation=startrecording cause=the call left the record state first",
          callId);
      return driver.applyOutcome(callId, new Event.ApiFailed("startrecording",
          "not started: its instance stopped, and the call moved on before another took over")).mapEmpty();
    });
  }

  private void corrupt(SessionStore.Orphan orphan, Exception cause) {
    metrics.takeover("corrupt", "dropped");
    LOG.error("effect.corrupt callId={} entry={} cause={} body={}", orphan.callId(), orphan.id(),
        cause == null ? "unreadable" : cause.toString(),
        orphan.body().length() > 200 ? orphan.body().substring(0, 200) : orphan.body());
    if (orphan.state() != SessionStore.Orphan.CORRUPT && orphan.state() != SessionStore.Orphan.UNKNOWN) {
      driver.settle(orphan.callId(), orphan.id());
    }
  }
}
