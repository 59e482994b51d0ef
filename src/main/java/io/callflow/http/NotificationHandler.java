package io.callflow.http;

import io.callflow.call.CallDriver;
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
    String callId = CallbackBodies.callId(notify.sessionReferenceId(), notify.sessionId());
    LOG.debug("call.notified callId={} event={}", callId, notify.event());
    Responses.json(ctx, "{}");
  }

  void callAnswered(RoutingContext ctx) {
    CallAnswered answered = CallbackBodies.decode(ctx, CallAnswered.class);
    String callId = CallbackBodies.callId(answered.sessionReferenceId(), answered.sessionId());
    CallIds ids = new CallIds(answered.sessionId(), null, answered.replyId(), answered.connectionId(),
        answered.callerParticipantId(), answered.calleeParticipantId(), answered.siteBaseUrl());
    step(ctx, callId, answered.httpTransactionId(), ids, new Event.CalleeAnswered());
  }

  void recordingReady(RoutingContext ctx) {
    RecordingReady ready = CallbackBodies.decode(ctx, RecordingReady.class);
    String callId = CallbackBodies.callId(null, ready.sessionId());
    String file = CallbackBodies.require(ready.recordingFileName(), "recordingFileName");
    LOG.info("recording.ready callId={} file={} event={} reason={}", callId, file, ready.event(), ready.reason());
    step(ctx, callId, null, CallIds.of(ready.sessionId(), null),
        new Event.RecordingReady(file, ready.event(), ready.fileSize(), ready.reason()));
  }

  void sessionCompleted(RoutingContext ctx) {
    SessionCompleted completed = CallbackBodies.decode(ctx, SessionCompleted.class);
    String callId = CallbackBodies.callId(completed.sessionReferenceId(), completed.sessionId());
    CallIds ids = CallIds.of(completed.sessionId(), completed.siteBaseUrl());
    step(ctx, callId, completed.httpTransactionId(), ids, new Event.Completed(completed.reason()));
  }

  void alarm(RoutingContext ctx) {
    Alarm alarm = CallbackBodies.decode(ctx, Alarm.class);
    CallbackBodies.require(alarm.type(), "type");
    LOG.warn("call.alarm callId={} type={} error={}", alarm.sessionId(), alarm.type(), alarm.error());
    if (alarm.sessionId() == null || alarm.sessionId().isBlank()) {
      Responses.json(ctx, "{}");
      return;
    }
    String callId = CallbackBodies.callId(null, alarm.sessionId());
    step(ctx, callId, null, CallIds.of(alarm.sessionId(), null), new Event.Alarm(alarm.type(), alarm.error()));
  }

  private void step(RoutingContext ctx, String callId, String key, CallIds ids, Event event) {
    driver.step(new CallDriver.Callback(Routes.kind(ctx), callId, key, ids, event, null))
        .onSuccess(answer -> Responses.json(ctx, answer))
        .onFailure(ctx::fail);
  }
}
