package io.callflow.call;

import io.callflow.flow.Effect;
import io.callflow.flow.EndReason;
import io.callflow.flow.Event;
import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.flow.CallIds;
import io.callflow.flow.Session;
import io.vertx.core.Context;
import io.vertx.core.Future;
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

  /** Runs {@code effect} of {@code session} once the current event-loop task (which answers the callback) is done. */
  @Override
  public void run(Session session, Effect effect, CallDriver driver) {
    Context context = Vertx.currentContext();
    if (context != null) {
      context.runOnContext(v -> execute(session, effect, driver));
    } else {
      execute(session, effect, driver);
    }
  }

  private void execute(Session session, Effect effect, CallDriver driver) {
    effect.accept(new Execution(session, driver));
  }

  /** Each effect that leaves the process, started; the notices (entered, failsafe, ended) are the driver's. */
  private final class Execution implements Effect.Visitor<Void> {
    private final CallIds ids;
    private final String callId;
    private final CallDriver driver;

    Execution(Session session, CallDriver driver) {
      this.ids = session.ids();
      this.callId = session.callId();
      this.driver = driver;
    }

    @Override
    public Void interrupt(Effect.Interrupt interrupt) {
      report(mediaservice.interrupt(ids.siteBaseUrl(), ids.sessionId(), ids.ivrReplyId()), "interruptivrcommand",
          callId, driver);
      return null;
    }

    @Override
    public Void startRecording(Effect.StartRecording start) {
      report(mediaservice.startRecording(ids.siteBaseUrl(), ids.connectionId(), ids.answeredReplyId(), start.file()),
          "startrecording", callId, driver);
      return null;
    }

    @Override
    public Void stopRecording(Effect.StopRecording stop) {
      report(mediaservice.stopRecording(ids.siteBaseUrl(), ids.connectionId(), ids.answeredReplyId()),
          "stoprecording", callId, driver);
      return null;
    }

    @Override
    public Void hangup(Effect.Hangup hangup) {
      report(mediaservice.hangup(ids.siteBaseUrl(), hangup.participantId(), ids.answeredReplyId(), ids.sessionId()),
          "hangupparticipant", callId, driver);
      return null;
    }

    @Override
    public Void httpFetch(Effect.HttpFetch fetch) {
      http.fetch(fetch.method(), fetch.url(), fetch.headers(), fetch.body(), fetch.timeoutMillis())
          .onComplete(done -> driver.apply(callId, done.succeeded()
              ? new Event.HttpResult(fetch.state(), done.result().status(), done.result().body(), null)
              : new Event.HttpResult(fetch.state(), 0, null, done.cause().getMessage())));
      return null;
    }

    @Override
    public Void deadline(Effect.Deadline deadline) {
      vertx.setTimer(Math.max(1, deadline.atMillis() - clock.millis()),
          t -> driver.apply(callId, new Event.HangupRequested(EndReason.MAX_DURATION)));
      return null;
    }

    @Override
    public Void stateEntered(Effect.StateEntered entered) {
      return null;
    }

    @Override
    public Void failsafeTaken(Effect.FailsafeTaken failsafe) {
      return null;
    }

    @Override
    public Void callEnded(Effect.CallEnded ended) {
      return null;
    }
  }

  private static void report(Future<Void> request, String operation, String callId, CallDriver driver) {
    request.onFailure(e -> driver.apply(callId, new Event.ApiFailed(operation, e.getMessage())));
  }
}
