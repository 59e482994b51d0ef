package io.callflow.call;

import static io.callflow.flow.CallbackKind.IVR;
import static io.callflow.flow.CallbackKind.NEW_CALL;
import static io.callflow.flow.CallbackKind.NOTIFY;

import io.callflow.flow.Activity;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.Effect;
import io.callflow.flow.EndReason;
import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowEngine;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.Step;
import io.callflow.mediaservice.Answers;
import io.callflow.mediaservice.CallReference;
import io.callflow.report.ActivityRecord;
import io.callflow.report.ActivityRecords;
import io.callflow.report.ActivitySink;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Session;
import io.callflow.session.EventLoopTimeout;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one callback against its call: atomically loads the session, steps the engine on the version of the flow
 * the call started with, renders and remembers the answer, stores the session, then logs the effects. A callback
 * whose key was answered before gets that answer again without a step. Whatever fails, the caller gets a failsafe.
 */
public final class CallDriver {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  /** One callback for a known call: {@code key} (replyId or httpTransactionId) identifies repeats; may be null. */
  public record Callback(CallbackKind kind, String callId, String key, CallIds ids, Event event, String replyId) {
  }

  /** A new call to start on {@code flow}. */
  public record Start(String callId, Flow flow, Caller caller, CallIds ids, Session.Direction direction) {
  }

  /**
   * What a step decided: {@code alias} is an outbound call's mediaservice sessionId, learnt in this step;
   * {@code record} the activity record of a call this callback ended, built before the session is slimmed.
   */
  private record Outcome(String answer, List<Effect> effects, Session session, String alias, ActivityRecord record,
                         List<String> entries, String recordEntry) {

    Outcome(String answer, List<Effect> effects, Session session, String alias, ActivityRecord record) {
      this(answer, effects, session, alias, record, null, null);
    }

    /** The id of the stored entry that keeps the {@code i}th effect until it is done, or null. */
    String entry(int i) {
      return entries == null ? null : entries.get(i);
    }
  }

  /** Carries out the effects that leave the process (mediaservice and http requests, timers). */
  public interface Effects {
    Effects NONE = (callId, ids, effect, driver) -> Future.succeededFuture();

    /** Carries out {@code effect} with the call's ids as its step left them; ends once its outcome is applied. */
    Future<Void> run(String callId, CallIds ids, Effect effect, CallDriver driver);
  }

  /** How long bookkeeping of a kept entry (marking it sent or done) keeps trying while the store is away. */
  private static final long BOOKKEEPING_MILLIS = 30_000;
  private static final long BOOKKEEPING_PAUSE_MILLIS = 250;

  private final FlowVersions versions;
  private final SessionStore store;
  private final FlowEngine engine = new FlowEngine();
  private final Answers answers;
  private final String apology;
  private final Clock clock;
  private final long deadlineMillis;
  private final CallMetrics metrics;
  private final Effects effects;
  private final ActivitySink activities;
  private volatile NotificationJournal journal;

  public CallDriver(FlowRegistry flows, SessionStore store, Answers answers, String apology, Clock clock,
                    Duration deadline, CallMetrics metrics, Effects effects, ActivitySink activities) {
    this(FlowVersions.local(flows), store, answers, apology, clock, deadline, metrics, effects, activities);
  }

  /** With {@code versions} able to fetch a call's flow version that another instance loaded. */
  public CallDriver(FlowVersions versions, SessionStore store, Answers answers, String apology, Clock clock,
                    Duration deadline, CallMetrics metrics, Effects effects, ActivitySink activities) {
    this.versions = versions;
    this.store = store;
    this.answers = answers;
    this.apology = apology;
    this.clock = clock;
    this.deadlineMillis = deadline.toMillis();
    this.metrics = metrics;
    this.effects = effects;
    this.activities = activities;
  }

  /** How this driver renders answers; rendered answers depend only on the flow version, so they may be shared. */
  public Answers answers() {
    return answers;
  }

  /** Starts a call (/newCall): a repeated /newCall for the same call gets the first answer again. */
  public Future<String> start(Start start) {
    Instant now = clock.instant();
    return inTime(timed(() -> store.<Outcome>update(start.callId(), current -> {
          String earlier = current == null ? null : current.answerFor(NEW_CALL.name());
          if (earlier != null) {
            return new SessionStore.Change<>(current, new Outcome(echo(earlier, current, NEW_CALL, null),
                List.of(), current, null, null));
          }
          Session session = current != null ? current : Session.start(start.callId(), start.flow().id(),
              start.flow().version(), start.direction(), start.caller(), start.ids(), start.flow().start(), now);
          return apply(start.flow(), session, new Event.CallStarted(), NEW_CALL, NEW_CALL.name(), null, now);
        })), start.callId())
        .onSuccess(outcome -> {
          if (Effect.entersState(outcome.effects())) {
            LOG.info("call.started callId={} flow={} version={} state={}", start.callId(), start.flow().id(),
                start.flow().version(), outcome.session().at().state());
            metrics.started(start.flow().id());
          }
          carryOut(outcome);
        })
        .map(Outcome::answer)
        .otherwise(failure -> failsafe(NEW_CALL, start.callId(), start.flow(), null, failure));
  }

  /**
   * Ends a call the reaper claimed as idle (sessions in Redis), as any call ends: its tombstone and its record's
   * entry in one write, the record then kept by the outbox; then the claim's entry {@code claim} is done. A call
   * already ended (a repeat after a takeover) changes nothing.
   */
  public Future<Void> expire(String callId, String claim) {
    Instant now = clock.instant();
    return withVersion(() -> store.<Outcome>update(callId, current -> {
      if (current == null || current.ended()) {
        return new SessionStore.Change<>(current, null);
      }
      Session ended = current.end(EndReason.EXPIRED.wire());
      ActivityRecord record = ActivityRecords.build(pinned(current), ended, now);
      String entry = EffectEntry.newId();
      Session tombstone = ended.tombstone();
      return new SessionStore.Change<>(tombstone, new Outcome("{}", List.of(new Effect.CallEnded(ended.endReason())),
          tombstone, null, record, java.util.Collections.singletonList(null), entry),
          List.of(new SessionStore.Pending(entry, false, EffectEntry.export(record).encode())));
    })).compose(outcome -> {
      if (outcome != null) {
        carryOut(outcome);
      }
      return settle(callId, claim);
    }).onFailure(e -> {
      LOG.warn("call.expire callId={} failed: {}", callId, e.toString());
      store.letGo(callId, claim);
    });
  }

  /** The entry a reaper writes with each call it claims, for {@link #expire} (see {@link SessionStore#reap}). */
  static SessionStore.Pending expireClaim() {
    return new SessionStore.Pending(EffectEntry.EXPIRE_ID, false, EffectEntry.expire().encode());
  }

  /** Registers a call without stepping it (/getCallIdentifier); the IVR will ask for its first command. */
  public Future<Void> register(Start start) {
    Instant now = clock.instant();
    return store.<Void>update(start.callId(), current -> new SessionStore.Change<>(current != null ? current
        : Session.start(start.callId(), start.flow().id(), start.flow().version(), start.direction(),
            start.caller(), start.ids(), start.flow().start(), now), null));
  }

  /**
   * Steps a known call; an unknown call gets the failsafe answer and creates nothing. A notification that names an
   * outbound call only by its mediaservice sessionId (/recordingReady, alarms) finds it through its alias.
   */
  public Future<String> step(Callback callback) {
    return inTime(stepKnown(callback), callback.callId())
        .map(outcome -> {
          if (outcome == null) {
            LOG.warn("call.unknown callId={} kind={}", callback.callId(), callback.kind());
            metrics.unmatched(callback.kind().name().toLowerCase(java.util.Locale.ROOT));
            return failsafe(callback.kind(), callback.callId(), null, callback.replyId(), null);
          }
          carryOut(outcome);
          return outcome.answer();
        })
        .recover(failure -> keepForLater(callback, failure)
            .map(kept -> failsafe(callback.kind(), callback.callId(), null, callback.replyId(), failure)));
  }

  /**
   * The step, within the callback deadline. A step whose write lands after the deadline (the caller already got
   * the failsafe) is still carried out: its session is stored, and so is the work it ordered, which no other
   * instance takes over while this one lives.
   */
  private Future<Outcome> inTime(Future<Outcome> stepped, String callId) {
    Future<Outcome> timed = EventLoopTimeout.within(stepped, deadlineMillis);
    stepped.onSuccess(outcome -> {
      if (timed.failed() && outcome != null) {
        LOG.warn("call.late callId={} cause=stored after the deadline; its work is carried out", callId);
        carryOut(outcome);
      }
    });
    return timed;
  }

  /** Steps a call, finding an outbound call by its mediaservice sessionId when a notification names only that. */
  private Future<Outcome> stepKnown(Callback callback) {
    return stepOnce(callback)
        .compose(outcome -> outcome != null || callback.kind() != NOTIFY ? Future.succeededFuture(outcome)
            : store.resolve(callback.callId()).compose(callId -> callId == null ? Future.succeededFuture(null)
                : stepOnce(new Callback(callback.kind(), callId, callback.key(), callback.ids(), callback.event(),
                    callback.replyId()))));
  }

  /**
   * A notification or call event that could not be stored is kept in the local journal before it is answered, and
   * applied once the store is back; when it cannot be kept either, the answer is a 503 rather than a false 200.
   */
  private Future<Void> keepForLater(Callback callback, Throwable failure) {
    NotificationJournal journal = this.journal;
    if (journal == null || (callback.kind() != NOTIFY && callback.kind() != CallbackKind.CALL_EVENT)
        || failure instanceof BadCallback) {
      return Future.succeededFuture();
    }
    return journal.keep(callback)
        .onSuccess(v -> LOG.warn("notification.kept callId={} event={} cause={}", callback.callId(),
            callback.event(), failure.toString()))
        .recover(e -> {
          LOG.error("notification.refused callId={} event={} cause=store unreachable and journal failed: {}",
              callback.callId(), callback.event(), e.toString());
          return Future.failedFuture(new NotKept(e));
        });
  }

  /** A notification could neither be stored nor kept: answered 503, so that it is not acknowledged falsely. */
  public static final class NotKept extends RuntimeException {
    NotKept(Throwable cause) {
      super("notification not kept: " + cause.getMessage(), cause, false, false);
    }
  }

  /** Keeps notifications that arrive while the store is away in {@code journal} (sessions in Redis). */
  public void keepNotificationsIn(NotificationJournal journal) {
    this.journal = journal;
  }

  /** Applies a kept callback again; fails (to be tried later) while the store still cannot be reached. */
  Future<Void> replay(Callback callback) {
    return stepKnown(callback).map(outcome -> {
      if (outcome != null) {
        carryOut(outcome);
      }
      return null;
    });
  }

  /** One step; a call on a flow version another instance loaded waits for that version to be fetched, then steps. */
  private Future<Outcome> stepOnce(Callback callback) {
    Instant now = clock.instant();
    return withVersion(() -> timed(() -> store.<Outcome>update(callback.callId(), current -> {
      if (current == null) {
        return new SessionStore.Change<>(null, null);
      }
      String earlier = current.answerFor(callback.key());
      if (earlier != null) {
        return new SessionStore.Change<>(current,
            new Outcome(echo(earlier, current, callback.kind(), callback.replyId()), List.of(), current, null, null));
      }
      if (Event.completes(callback.event()) && completedBefore(current)) {
        // A repeated /sessionCompleted: the call was counted and reported by the first one.
        return new SessionStore.Change<>(current, new Outcome("{}", List.of(), current, null, null));
      }
      CallIds ids = current.ids().merge(callback.ids());
      Session session = ids == current.ids() ? current : current.withIds(ids);
      SessionStore.Change<Outcome> change = apply(pinned(session), session, callback.event(), callback.kind(),
          callback.key(), callback.replyId(), now);
      // An outbound call learns its mediaservice sessionId here; notifications that name only that must find it.
      boolean learnt = current.ids().sessionId() == null && session.ids().sessionId() != null;
      if (!learnt || session.ids().sessionId().equals(session.callId())) {
        return change;
      }
      Outcome outcome = change.value();
      return new SessionStore.Change<>(change.session(), new Outcome(outcome.answer(), outcome.effects(),
          outcome.session(), session.ids().sessionId(), outcome.record(), outcome.entries(), outcome.recordEntry()),
          change.pending());
    })));
  }

  /**
   * The answer to a callback that names no call at all (no sessionId, an empty or foreign sessionReferenceId): the
   * one an unknown call gets, logged and counted, never a refusal.
   */
  public String unnamed(CallbackKind kind, String callback, String replyId) {
    LOG.warn("call.unnamed callback={} kind={}", callback, kind);
    metrics.unmatched(kind.name().toLowerCase(java.util.Locale.ROOT));
    return failsafe(kind, null, null, replyId, null);
  }

  /**
   * Steps a call on an event that is no callback: an effect's outcome, a timer, an operator's request. Nothing is
   * answered; the result is the call's session after the step, or null when the call is not known.
   */
  public Future<Session> apply(String callId, Event event) {
    Instant now = clock.instant();
    return inTime(withVersion(() -> store.<Outcome>update(callId, current -> current == null
            ? new SessionStore.Change<>(null, null) : apply(pinned(current), current, event, NOTIFY, null, null, now))),
        callId)
        .onFailure(e -> LOG.error("call.failed callId={} event={} cause={}", callId, event, e.toString()))
        .map(outcome -> {
          if (outcome == null) {
            LOG.debug("call.unknown callId={} event={}", callId, event);
            return null;
          }
          carryOut(outcome);
          return outcome.session();
        });
  }

  /**
   * Creates a call that starts outside a callback (an outbound call, before placeivrcall); false when the callId is
   * taken.
   */
  public Future<Boolean> create(Session session) {
    return create(session, List.of());
  }

  /** {@link #create(Session)} with work kept in the same write (an outbound call to place). */
  Future<Boolean> create(Session session, List<SessionStore.Pending> pending) {
    return store.<Boolean>update(session.callId(), current -> current != null
        ? new SessionStore.Change<>(current, false) : new SessionStore.Change<>(session, true, pending));
  }

  /** The flow version the call started on; {@link FlowVersions.Missing} when only another instance has it. */
  private Flow pinned(Session session) {
    return versions.pinned(session.flowId(), session.flowVersion());
  }

  /** Runs {@code step}; once more after fetching the flow version it found missing. */
  private <T> Future<T> withVersion(java.util.function.Supplier<Future<T>> step) {
    return step.get().recover(failure -> failure instanceof FlowVersions.Missing missing
        ? versions.fetch(missing).compose(fetched -> step.get()) : Future.failedFuture(failure));
  }

  private SessionStore.Change<Outcome> apply(Flow flow, Session session, Event event, CallbackKind kind, String key,
                                             String replyId, Instant now) {
    Step step = engine.step(flow, session, event, now);
    String body = answers.rendered(step.reply(), flow);
    // Notifications answer {} and are idempotent in the engine; only decisions are kept for replay.
    boolean decision = !(step.reply() instanceof io.callflow.flow.Reply.Ack);
    Session next = key == null || !decision ? step.next() : step.next().withAnswer(key, body);
    ActivityRecord record = null;
    if (Effect.endsCall(step.effects())) {
      record = ActivityRecords.build(flow, next, now);
      next = next.tombstone();
    }
    if (!store.takesOver()) {
      return new SessionStore.Change<>(next, new Outcome(echo(body, next, kind, replyId), step.effects(), next, null,
          record));
    }
    // Kept with the session in one write: if this instance dies before they are done, another one takes them over.
    List<SessionStore.Pending> pending = new java.util.ArrayList<>();
    List<String> entries = new java.util.ArrayList<>();
    for (Effect effect : step.effects()) {
      String id = null;
      if (EffectEntry.kept(effect)) {
        EffectEntry entry = EffectEntry.of(effect, next.ids());
        id = EffectEntry.newId();
        pending.add(new SessionStore.Pending(id, entry.once(), entry.encode()));
      }
      entries.add(id);
    }
    String recordEntry = null;
    if (record != null) {
      recordEntry = EffectEntry.newId();
      pending.add(new SessionStore.Pending(recordEntry, false, EffectEntry.export(record).encode()));
    }
    return new SessionStore.Change<>(next, new Outcome(echo(body, next, kind, replyId), step.effects(), next, null,
        record, entries, recordEntry), pending);
  }

  /** Whether the call's /sessionCompleted was seen before: the engine notes it in the trail as "completed". */
  private static boolean completedBefore(Session session) {
    return session.ended() && session.trail().stream().anyMatch(a -> a.kind() == Activity.Kind.COMPLETED);
  }

  /** Times the store update, which for sessions in this process runs inside the call itself. */
  private <T> Future<T> timed(java.util.function.Supplier<Future<T>> update) {
    long began = System.nanoTime();
    return update.get().andThen(done -> metrics.store("update", System.nanoTime() - began, done.succeeded()));
  }

  /** Puts back the fields that echo ids: IVR commands carry sessionId and replyId, decisions callflow's reference. */
  private static String echo(String body, Session session, CallbackKind kind, String replyId) {
    if (kind == NOTIFY) {
      return body;
    }
    boolean ivr = kind == IVR;
    return Answers.echo(body, ivr ? session.ids().sessionId() : null, ivr ? replyId : null,
        CallReference.of(session).encoded());
  }

  private void carryOut(Outcome outcome) {
    Session session = outcome.session();
    if (outcome.alias() != null) {
      store.alias(outcome.alias(), session.callId())
          .onFailure(e -> LOG.warn("call.alias callId={} failed: {}", session.callId(), e.toString()));
    }
    Notices notice = new Notices(outcome);
    for (int i = 0; i < outcome.effects().size(); i++) {
      notice.entry = outcome.entry(i);
      outcome.effects().get(i).accept(notice);
    }
    if (outcome.record() != null) {
      Future<Void> kept = activities.keep(outcome.record());
      if (outcome.recordEntry() != null) {
        String entry = outcome.recordEntry();
        kept.onComplete(v -> {
          if (v.succeeded()) {
            settle(session.callId(), entry);
          } else {
            store.letGo(session.callId(), entry);
          }
        });
      }
    }
  }

  /**
   * Carries out one effect; a kept one ({@code entry} not null) is marked done after its outcome is applied, and a
   * once-only one is first marked as being sent, and not sent when another instance has taken it over meanwhile.
   */
  private void carry(String callId, CallIds ids, Effect effect, String entry) {
    if (entry == null) {
      effects.run(callId, ids, effect, this);
      return;
    }
    FaultPoint.reached("before");
    (EffectEntry.of(effect, ids).once() ? sending(callId, entry) : Future.succeededFuture(true))
        .compose(mine -> mine ? effects.run(callId, ids, effect, this).map(true) : Future.succeededFuture(false))
        .andThen(ran -> FaultPoint.reached("after"))
        .onSuccess(ran -> {
          if (ran) {
            settle(callId, entry);
          } else {
            LOG.warn("effect.skipped callId={} effect={} cause=taken over by another instance", callId, effect);
          }
        })
        .onFailure(e -> {
          LOG.warn("effect.unsettled callId={} effect={} cause={}", callId, effect, e.toString());
          store.letGo(callId, entry);
        });
  }

  /** Marks a kept once-only entry as being sent; false when it is no longer this instance's to send. */
  Future<Boolean> sending(String callId, String entry) {
    return persistently(() -> store.sending(callId, entry));
  }

  /** Marks a kept entry done, so no instance takes it over. */
  Future<Void> settle(String callId, String entry) {
    return persistently(() -> store.done(callId, entry)).onFailure(e -> {
      LOG.warn("effect.unsettled callId={} entry={} cause={}", callId, entry, e.toString());
      store.letGo(callId, entry);
    });
  }

  /**
   * Applies an effect's outcome to its call, trying again for a while when the store is away: the outcome of a
   * request that was sent cannot be asked for twice.
   */
  public Future<Session> applyOutcome(String callId, Event event) {
    return persistently(() -> apply(callId, event));
  }

  private <T> Future<T> persistently(java.util.function.Supplier<Future<T>> operation) {
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKKEEPING_MILLIS);
    return attempt(operation, giveUp);
  }

  private <T> Future<T> attempt(java.util.function.Supplier<Future<T>> operation, long giveUp) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    return operation.get().recover(failure -> context == null || System.nanoTime() > giveUp
        ? Future.failedFuture(failure)
        : context.owner().timer(BOOKKEEPING_PAUSE_MILLIS).compose(t -> attempt(operation, giveUp)));
  }

  /** The effects a call's own log lines and metrics tell of; the others leave the process through the runner. */
  private final class Notices implements Effect.Visitor<Void> {
    private final Outcome outcome;
    private final Session session;
    /** The stored entry of the effect being visited, or null. */
    private String entry;

    Notices(Outcome outcome) {
      this.outcome = outcome;
      this.session = outcome.session();
    }

    @Override
    public Void stateEntered(Effect.StateEntered entered) {
      metrics.entered(session.flowId(), session.flowVersion(), entered.state());
      LOG.debug("state.entered callId={} flow={} state={} type={}", session.callId(), session.flowId(),
          entered.state(), entered.type());
      return null;
    }

    @Override
    public Void failsafeTaken(Effect.FailsafeTaken failsafe) {
      metrics.failsafe(session.flowId());
      LOG.warn("call.failsafe callId={} flow={} state={} cause={}", session.callId(), session.flowId(),
          session.at().state(), failsafe.cause());
      return null;
    }

    @Override
    public Void callEnded(Effect.CallEnded ended) {
      metrics.ended(session.flowId(), ended.reason(), session.at().state());
      if (EndReason.TRANSFER_LOST.is(EndReason.kindOf(ended.reason()))) {
        LOG.warn("call.transferLost callId={} flow={} state={}: /sessionCompleted came before the /callEvent "
            + "that would have forwarded the caller", session.callId(), session.flowId(), session.at().state());
      }
      // The state the call ended in, as its activity record says (a transfer: the forward that connected), not
      // the state the engine has moved on to (a forward's "after", the hangup's predecessor).
      String state = outcome.record() != null && outcome.record().ending() != null
          ? outcome.record().ending().state() : session.at().state();
      LOG.info("call.ended callId={} flow={} state={} reason={}", session.callId(), session.flowId(), state,
          ended.reason());
      return null;
    }

    @Override
    public Void interrupt(Effect.Interrupt interrupt) {
      return leave(interrupt);
    }

    @Override
    public Void startRecording(Effect.StartRecording start) {
      return leave(start);
    }

    @Override
    public Void stopRecording(Effect.StopRecording stop) {
      return leave(stop);
    }

    @Override
    public Void hangup(Effect.Hangup hangup) {
      return leave(hangup);
    }

    @Override
    public Void httpFetch(Effect.HttpFetch fetch) {
      return leave(fetch);
    }

    @Override
    public Void deadline(Effect.Deadline deadline) {
      return leave(deadline);
    }

    private Void leave(Effect effect) {
      carry(session.callId(), session.ids(), effect, entry);
      return null;
    }
  }

  /** The answer when no step could be taken: the flow's failsafe when the flow is known, else a polite end. */
  public String failsafe(CallbackKind kind, String callId, Flow flow, String replyId, Throwable failure) {
    if (failure != null) {
      metrics.storeFailed();
      LOG.error("call.failsafe callId={} kind={} cause={}", callId, kind, failure.toString(), failure);
    }
    switch (kind) {
      case NEW_CALL:
        String destination = flow == null ? null : flow.failsafe().destination();
        if (destination == null) {
          return Answers.drop("temporarilyUnavailable");
        }
        try {
          return answers.failsafeCall(destination);
        } catch (IllegalStateException e) {
          LOG.error("call.failsafe callId={} cannot forward: {}", callId, e.getMessage());
          return Answers.drop("temporarilyUnavailable");
        }
      case IVR:
        return answers.apology(flow == null ? apology : flow.failsafe().messageOrDefault(), null, replyId);
      case CALL_EVENT:
        return Answers.drop(null);
      default:
        return "{}";
    }
  }
}
