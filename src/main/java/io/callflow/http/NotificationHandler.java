package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.Event;
import io.callflow.mediaservice.Payloads.Alarm;
import io.callflow.mediaservice.Payloads.CallAnswered;
import io.callflow.mediaservice.Payloads.CallNotify;
import io.callflow.mediaservice.Payloads.RecordingReady;
import io.callflow.mediaservice.Payloads.SessionCompleted;
import io.callflow.flow.CallIds;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The notifications: each is checked, applied to its call where it matters, and answered {}. */
final class NotificationHandler {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  private final CallDriver driver;

  NotificationHandler(CallDriver driver) {
    this.driver = driver;
  }

  void callNotify(RoutingContext ctx) {
    CallNotify notify = CallbackBodies.decode(ctx, CallNotify.class);
    String callId = CallbackBodies.callIdOrNull(notify.sessionReferenceId(), notify.sessionId());
    LOG.debug("call.notified callId={} event={}", callId, notify.event());
    Responses.json(ctx, "{}");
  }

  void callAnswered(RoutingContext ctx) {
    CallAnswered answered = CallbackBodies.decode(ctx, CallAnswered.class);
    String callId = CallbackBodies.callIdOrNull(answered.sessionReferenceId(), answered.sessionId());
    if (callId == null) {
      unnamed(ctx, "callAnswered");
      return;
    }
    CallIds ids = new CallIds(answered.sessionId(), null, answered.replyId(), answered.connectionId(),
        answered.callerParticipantId(), answered.calleeParticipantId(), answered.siteBaseUrl());
    step(ctx, callId, answered.httpTransactionId(), ids, new Event.CalleeAnswered());
  }

  void recordingReady(RoutingContext ctx) {
    RecordingReady ready = CallbackBodies.decode(ctx, RecordingReady.class);
    String callId = CallbackBodies.callIdOrNull(null, ready.sessionId());
    String file = ready.recordingFileName();
    if (callId == null || file == null || file.isBlank()) {
      unnamed(ctx, "recordingReady");
      return;
    }
    LOG.info("recording.ready callId={} file={} event={} reason={}", callId, file, ready.event(), ready.reason());
    step(ctx, callId, null, CallIds.of(ready.sessionId(), null),
        new Event.RecordingReady(file, ready.event(), ready.fileSize(), ready.reason()));
  }

  void sessionCompleted(RoutingContext ctx) {
    SessionCompleted completed = CallbackBodies.decode(ctx, SessionCompleted.class);
    String callId = CallbackBodies.callIdOrNull(completed.sessionReferenceId(), completed.sessionId());
    if (callId == null) {
      unnamed(ctx, "sessionCompleted");
      return;
    }
    CallIds ids = CallIds.of(completed.sessionId(), completed.siteBaseUrl());
    step(ctx, callId, completed.httpTransactionId(), ids, new Event.Completed(completed.reason()));
  }

  void alarm(RoutingContext ctx) {
    Alarm alarm = CallbackBodies.decode(ctx, Alarm.class);
    LOG.warn("call.alarm callId={} type={} error={}", alarm.sessionId(), alarm.type(), alarm.error());
    if (alarm.sessionId() == null || alarm.sessionId().isBlank()) {
      Responses.json(ctx, "{}");
      return;
    }
    String callId = CallbackBodies.callId(null, alarm.sessionId());
    step(ctx, callId, null, CallIds.of(alarm.sessionId(), null), new Event.Alarm(alarm.type(), alarm.error()));
  }

  /**
   * /newRemoteCall (Cloud SIP UA): callflow drives no HTTP-controlled devices, so the call is left unanswered (the
   * app answers it with the answerremotecall API, which callflow never calls); acknowledged, never refused.
   */
  void newRemoteCall(RoutingContext ctx) {
    CallbackBodies.decode(ctx, com.fasterxml.jackson.databind.JsonNode.class);
    LOG.warn("call.unsupported callback=newRemoteCall: callflow does not answer Cloud SIP UA calls");
    Responses.json(ctx, "{}");
  }

  /** A notification that names no call: {} as always, logged and counted. */
  private void unnamed(RoutingContext ctx, String callback) {
    Responses.json(ctx, driver.unnamed(CallbackKind.NOTIFY, callback, null));
  }

  private void step(RoutingContext ctx, String callId, String key, CallIds ids, Event event) {
    driver.step(new CallDriver.Callback(Routes.kind(ctx), callId, key, ids, event, null))
        .onSuccess(answer -> Responses.json(ctx, answer))
        .onFailure(ctx::fail);
  }
}
