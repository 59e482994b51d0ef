package io.callflow.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callflow.flow.Effect;
import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowEngine;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.Step;
import io.callflow.mediaservice.Answers;
import io.callflow.session.CallIds;
import io.callflow.session.Caller;
import io.callflow.session.Session;
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

  /** Which answer a callback needs when callflow cannot step it. */
  public enum Kind { NEW_CALL, IVR, CALL_EVENT, NOTIFY }

  /** One callback for a known call: {@code key} (replyId or httpTransactionId) identifies repeats; may be null. */
  public record Callback(Kind kind, String callId, String key, CallIds ids, Event event, String replyId) {
  }

  /** A new call to start on {@code flow}. */
  public record Start(String callId, Flow flow, Caller caller, CallIds ids, Session.Direction direction) {
  }

  private record Outcome(String answer, List<Effect> effects, Session session) {
  }

  private final FlowVersions versions;
  private final SessionStore store;
  private final FlowEngine engine = new FlowEngine();
  private final Answers answers;
  private final String apology;
  private final Clock clock;
  private final long deadlineMillis;
  private final CallMetrics metrics;

  public CallDriver(FlowRegistry flows, SessionStore store, Answers answers, String apology, Clock clock,
                    Duration deadline, CallMetrics metrics) {
    this(FlowVersions.local(flows), store, answers, apology, clock, deadline, metrics);
  }

  /** With {@code versions} able to fetch a call's flow version that another instance loaded. */
  public CallDriver(FlowVersions versions, SessionStore store, Answers answers, String apology, Clock clock,
                    Duration deadline, CallMetrics metrics) {
    this.versions = versions;
    this.store = store;
    this.answers = answers;
    this.apology = apology;
    this.clock = clock;
    this.deadlineMillis = deadline.toMillis();
    this.metrics = metrics;
  }

  /** Starts a call (/newCall): a repeated /newCall for the same call gets the first answer again. */
  public Future<String> start(Start start) {
    Instant now = clock.instant();
    return store.<Outcome>update(start.callId(), current -> {
          String earlier = current == null ? null : current.answerFor(Kind.NEW_CALL.name());
          if (earlier != null) {
            return new SessionStore.Change<>(current, new Outcome(echo(earlier, current, Kind.NEW_CALL, null),
                List.of(), current));
          }
          Session session = current != null ? current : Session.start(start.callId(), start.flow().id(),
              start.flow().version(), start.direction(), start.caller(), start.ids(), start.flow().start(), now);
          return apply(start.flow(), session, new Event.CallStarted(), Kind.NEW_CALL, Kind.NEW_CALL.name(), null, now);
        })
        .timeout(deadlineMillis, TimeUnit.MILLISECONDS)
        .onSuccess(outcome -> {
          if (outcome.effects().stream().anyMatch(e -> e instanceof Effect.StateEntered)) {
            LOG.info("call.started callId={} flow={} version={}", start.callId(), start.flow().id(), start.flow().version());
            metrics.started(start.flow().id());
          }
          carryOut(outcome);
        })
        .map(Outcome::answer)
        .otherwise(failure -> failsafe(Kind.NEW_CALL, start.callId(), start.flow(), null, failure));
  }

  /** Registers a call without stepping it (/getCallIdentifier); the IVR will ask for its first command. */
  public Future<Void> register(Start start) {
    Instant now = clock.instant();
    return store.<Void>update(start.callId(), current -> new SessionStore.Change<>(current != null ? current
        : Session.start(start.callId(), start.flow().id(), start.flow().version(), start.direction(),
            start.caller(), start.ids(), start.flow().start(), now), null));
  }

  /** Steps a known call; an unknown call gets the failsafe answer and creates nothing. */
  public Future<String> step(Callback callback) {
    Instant now = clock.instant();
    return stepOnce(callback, now)
        .recover(failure -> failure instanceof FlowVersions.Missing missing
            ? versions.fetch(missing).compose(fetched -> stepOnce(callback, now))
            : Future.failedFuture(failure))
        .timeout(deadlineMillis, TimeUnit.MILLISECONDS)
        .map(outcome -> {
          if (outcome == null) {
            LOG.warn("call.unknown callId={} kind={}", callback.callId(), callback.kind());
            return failsafe(callback.kind(), callback.callId(), null, callback.replyId(), null);
          }
          carryOut(outcome);
          return outcome.answer();
        })
        .otherwise(failure -> failsafe(callback.kind(), callback.callId(), null, callback.replyId(), failure));
  }

  private Future<Outcome> stepOnce(Callback callback, Instant now) {
    return store.<Outcome>update(callback.callId(), current -> {
          if (current == null) {
            return new SessionStore.Change<>(null, null);
          }
          String earlier = current.answerFor(callback.key());
          if (earlier != null) {
            return new SessionStore.Change<>(current,
                new Outcome(echo(earlier, current, callback.kind(), callback.replyId()), List.of(), current));
          }
          Session session = current.withIds(current.ids().merge(callback.ids()));
          Flow flow = versions.pinned(session.flowId(), session.flowVersion());
          return apply(flow, session, callback.event(), callback.kind(), callback.key(), callback.replyId(), now);
        });
  }

  private SessionStore.Change<Outcome> apply(Flow flow, Session session, Event event, Kind kind, String key,
                                             String replyId, Instant now) {
    Step step = engine.step(flow, session, event, now);
    String body = answers.body(step.reply(), flow.voice());
    // Notifications answer {} and are idempotent in the engine; only decisions are kept for replay.
    boolean decision = !(step.reply() instanceof io.callflow.flow.Reply.Ack);
    Session next = key == null || !decision ? step.next() : step.next().withAnswer(key, body);
    if (event instanceof Event.Completed) {
      next = next.tombstone();
    }
    return new SessionStore.Change<>(next, new Outcome(echo(body, next, kind, replyId), step.effects(), next));
  }

  /** Puts back the fields that echo ids: IVR commands carry sessionId and replyId, decisions callflow's reference. */
  private static String echo(String body, Session session, Kind kind, String replyId) {
    if (kind == Kind.NOTIFY) {
      return body;
    }
    boolean ivr = kind == Kind.IVR;
    return Answers.echo(body, ivr ? session.ids().sessionId() : null, ivr ? replyId : null, reference(session));
  }

  /** callflow's sessionReferenceId: enough to find the call, and its flow version, from any callback. */
  static JsonNode reference(Session session) {
    ObjectNode reference = JsonNodeFactory.instance.objectNode();
    reference.put("callId", session.callId());
    reference.put("flow", session.flowId());
    reference.put("version", session.flowVersion());
    return reference;
  }

  private void carryOut(Outcome outcome) {
    Session session = outcome.session();
    for (Effect effect : outcome.effects()) {
      if (effect instanceof Effect.StateEntered entered) {
        metrics.entered(session.flowId(), session.flowVersion(), entered.state());
        LOG.debug("state.entered callId={} flow={} state={} type={}", session.callId(), session.flowId(),
            entered.state(), entered.type());
      } else if (effect instanceof Effect.FailsafeTaken failsafe) {
        metrics.failsafe(session.flowId());
        LOG.warn("call.failsafe callId={} flow={} state={} cause={}", session.callId(), session.flowId(),
            session.at().state(), failsafe.cause());
      } else if (effect instanceof Effect.CallEnded ended) {
        metrics.ended(session.flowId(), ended.reason());
        LOG.info("call.ended callId={} flow={} state={} reason={}", session.callId(), session.flowId(),
            session.at().state(), ended.reason());
      }
    }
  }

  /** The answer when no step could be taken: the flow's failsafe when the flow is known, else a polite end. */
  String failsafe(Kind kind, String callId, Flow flow, String replyId, Throwable failure) {
    if (failure != null) {
      metrics.storeFailed();
      LOG.error("call.failsafe callId={} kind={} cause={}", callId, kind, failure.toString(), failure);
    }
    switch (kind) {
      case NEW_CALL:
        String destination = flow == null ? null : flow.failsafe().destination();
        return destination != null ? Answers.write(java.util.Map.of("action", "call", "destAddr", destination))
            : Answers.drop("temporarilyUnavailable");
      case IVR:
        return answers.apology(flow == null ? apology : flow.failsafe().messageOrDefault(), null, replyId);
      case CALL_EVENT:
        return Answers.drop(null);
      default:
        return "{}";
    }
  }
}
