package io.callflow.call;

import io.callflow.flow.CallIds;
import io.callflow.flow.Effect;
import io.callflow.flow.EndReason;
import io.callflow.flow.Event;
import io.callflow.mediaservice.MediaserviceClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Carries out the effects that leave the process: mediaservice requests, http-state requests and maxDuration
 * timers. Each starts after the callback's answer is on its way (the callback never waits for one), and its outcome
 * goes back to the engine as an event: a failed request as {@link Event.ApiFailed}, an http answer as
 * {@link Event.HttpResult}, a deadline as {@link Event.HangupRequested}.
 */
public final class EffectRunner implements CallDriver.Effects {

  private final Vertx vertx;
  private final MediaserviceClient mediaservice;
  private final HttpStateClient http;
  private final Clock clock;

  public EffectRunner(Vertx vertx, MediaserviceClient mediaservice, HttpStateClient http, Clock clock) {
    this.vertx = vertx;
    this.mediaservice = mediaservice;
    this.http = http;
    this.clock = clock;
  }

  /**
   * Runs {@code effect} of the call once the current event-loop task (which answers the callback) is done; the
   * result ends when the effect's outcome is back with the flow (or it has none to report).
   */
  @Override
  public Future<Void> run(String callId, CallIds ids, Effect effect, CallDriver driver) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return effect.accept(new Execution(callId, ids, driver));
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> effect.accept(new Execution(callId, ids, driver)).onComplete(done));
    return done.future();
  }

  /** placeivrcall; a refusal goes to the flow (the call ends as placeFailed) and fails the result too. */
  Future<Void> place(String callId, MediaserviceClient.PlaceCall call, CallDriver driver) {
    return mediaservice.placeIvrCall(call).recover(e -> driver.applyOutcome(callId,
        new Event.ApiFailed("placeivrcall", e.getMessage())).transform(reported -> Future.failedFuture(e)));
  }

  /** Each effect that leaves the process, started; the notices (entered, failsafe, ended) are the driver's. */
  private final class Execution implements Effect.Visitor<Future<Void>> {
    private final String callId;
    private final CallIds ids;
    private final CallDriver driver;

    Execution(String callId, CallIds ids, CallDriver driver) {
      this.callId = callId;
      this.ids = ids;
      this.driver = driver;
    }

    @Override
    public Future<Void> interrupt(Effect.Interrupt interrupt) {
      return report(mediaservice.interrupt(ids.siteBaseUrl(), ids.sessionId(), ids.ivrReplyId()),
          "interruptivrcommand");
    }

    /** Its acceptance goes to the flow too: only a confirmed recording may be announced as kept. */
    @Override
    public Future<Void> startRecording(Effect.StartRecording start) {
      return mediaservice.startRecording(ids.siteBaseUrl(), ids.connectionId(), ids.answeredReplyId(), start.file())
          .transform(sent -> driver.applyOutcome(callId, sent.succeeded() ? new Event.RecordingStarted(start.file())
              : new Event.ApiFailed("startrecording", sent.cause().getMessage())))
          .mapEmpty();
    }

    @Override
    public Future<Void> stopRecording(Effect.StopRecording stop) {
      return report(mediaservice.stopRecording(ids.siteBaseUrl(), ids.connectionId(), ids.answeredReplyId()),
          "stoprecording");
    }

    @Override
    public Future<Void> hangup(Effect.Hangup hangup) {
      return report(mediaservice.hangup(ids.siteBaseUrl(), hangup.participantId(), ids.answeredReplyId(),
          ids.sessionId()), "hangupparticipant");
    }

    @Override
    public Future<Void> httpFetch(Effect.HttpFetch fetch) {
      return http.fetch(fetch.method(), fetch.url(), fetch.headers(), fetch.body(), fetch.timeoutMillis())
          .transform(done -> driver.applyOutcome(callId, done.succeeded()
              ? new Event.HttpResult(fetch.state(), done.result().status(), done.result().body(), null)
              : new Event.HttpResult(fetch.state(), 0, null, done.cause().getMessage())))
          .mapEmpty();
    }

    @Override
    public Future<Void> deadline(Effect.Deadline deadline) {
      vertx.setTimer(Math.max(1, deadline.atMillis() - clock.millis()),
          t -> driver.apply(callId, new Event.HangupRequested(EndReason.MAX_DURATION)));
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stateEntered(Effect.StateEntered entered) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> failsafeTaken(Effect.FailsafeTaken failsafe) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> callEnded(Effect.CallEnded ended) {
      return Future.succeededFuture();
    }

    /** A failed request goes to the flow as ApiFailed; the result ends once the flow has it. */
    private Future<Void> report(Future<Void> request, String operation) {
      return request.recover(e -> driver.applyOutcome(callId, new Event.ApiFailed(operation, e.getMessage()))
          .mapEmpty());
    }
  }
}
