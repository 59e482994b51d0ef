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
  private record Outcome(String answer, List<Effect> effects, Session session, String alias, ActivityRecord record) {
  }

  /** Carries out the effects that leave the process (mediaservice and http requests, timers). */
  public interface Effects {
    Effects NONE = (session, effect, driver) -> { };

    void run(Session session, Effect effect, CallDriver driver);
  }

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

  /** Starts a call (/newCall): a repeated /newCall for the same call gets the first answer again. */
  public Future<String> start(Start start) {
    Instant now = clock.instant();
    return timed(() -> store.<Outcome>update(start.callId(), current -> {
          String earlier = current == null ? null : current.answerFor(NEW_CALL.name());
          if (earlier != null) {
            return new SessionStore.Change<>(current, new Outcome(echo(earlier, current, NEW_CALL, null),
                List.of(), current, null, null));
          }
          Session session = current != null ? current : Session.start(start.callId(), start.flow().id(),
              start.flow().version(), start.direction(), start.caller(), start.ids(), start.flow().start(), now);
          return apply(start.flow(), session, new Event.CallStarted(), NEW_CALL, NEW_CALL.name(), null, now);
        }))
        .timeout(deadlineMillis, TimeUnit.MILLISECONDS)
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
    return stepOnce(callback)
        .compose(outcome -> outcome != null || callback.kind() != NOTIFY ? Future.succeededFuture(outcome)
            : store.resolve(callback.callId()).compose(callId -> callId == null ? Future.succeededFuture(null)
                : stepOnce(new Callback(callback.kind(), callId, callback.key(), callback.ids(), callback.event(),
                    callback.replyId()))))
        .timeout(deadlineMillis, TimeUnit.MILLISECONDS)
        .map(outcome -> {
          if (outcome == null) {
            LOG.warn("call.unknown callId={} kind={}", callback.callId(), callback.kind());
            metrics.unmatched(callback.kind().name().toLowerCase(java.util.Locale.ROOT));
            return failsafe(callback.kind(), callback.callId(), null, callback.replyId(), null);
          }
          carryOut(outcome);
          return outcome.answer();
        })
        .otherwise(failure -> failsafe(callback.kind(), callback.callId(), null, callback.replyId(), failure));
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
      Session session = current.withIds(current.ids().merge(callback.ids()));
      SessionStore.Change<Outcome> change = apply(pinned(session), session, callback.event(), callback.kind(),
          callback.key(), callback.replyId(), now);
      // An outbound call learns its mediaservice sessionId here; notifications that name only that must find it.
      boolean learnt = current.ids().sessionId() == null && session.ids().sessionId() != null;
      if (!learnt || session.ids().sessionId().equals(session.callId())) {
        return change;
      }
      Outcome outcome = change.value();
      return new SessionStore.Change<>(change.session(), new Outcome(outcome.answer(), outcome.effects(),
          outcome.session(), session.ids().sessionId(), outcome.record()));
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
    return withVersion(() -> store.<Outcome>update(callId, current -> current == null
            ? new SessionStore.Change<>(null, null) : apply(pinned(current), current, event, NOTIFY, null, null, now)))
        .timeout(deadlineMillis, TimeUnit.MILLISECONDS)
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
    return store.<Boolean>update(session.callId(), current -> current != null
        ? new SessionStore.Change<>(current, false) : new SessionStore.Change<>(session, true));
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
    return new SessionStore.Change<>(next, new Outcome(echo(body, next, kind, replyId), step.effects(), next, null,
        record));
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
    Effect.Visitor<Void> notice = new Notices(outcome);
    outcome.effects().forEach(effect -> effect.accept(notice));
    if (outcome.record() != null) {
      activities.ended(outcome.record());
    }
  }

  /** The effects a call's own log lines and metrics tell of; the others leave the process through the runner. */
  private final class Notices implements Effect.Visitor<Void> {
    private final Outcome outcome;
    private final Session session;

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
      effects.run(session, effect, CallDriver.this);
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
