package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.CallDriver;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.Event;
import io.callflow.mediaservice.Payloads.CallEvent;
import io.callflow.flow.CallIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * /callEvent: a party left or a forward failed, and the answer applies to the remaining party; or a connection
 * was split, and the answer applies to the participant the event names.
 */
final class CallEventHandler implements Handler<RoutingContext> {

  private final CallDriver driver;

  CallEventHandler(CallDriver driver) {
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    CallEvent event = CallbackBodies.decode(ctx, CallEvent.class);
    String callId = CallbackBodies.callIdOrNull(event.sessionReferenceId(), event.sessionId());
    if (callId == null) {
      Responses.json(ctx, driver.unnamed(CallbackKind.CALL_EVENT, "callEvent", null));
      return;
    }
    CallIds ids = new CallIds(event.sessionId(), null, null, event.connectionId(), null, null, event.siteBaseUrl());
    driver.step(new CallDriver.Callback(Routes.kind(ctx), callId, event.httpTransactionId(), ids,
            toEvent(event), null))
        .onSuccess(answer -> Responses.json(ctx, answer))
        .onFailure(ctx::fail);
  }

  private static Event toEvent(CallEvent event) {
    String name = CallbackBodies.require(event.event(), "event");
    switch (name) {
      case "calledPartyFailure":
        return new Event.CalleeFailed(event.sipResponseCode() == null ? 0 : event.sipResponseCode());
      case "calledPartyDrop":
        return new Event.CalledPartyLeft();
      case "callingPartyDrop":
      case "callingPartyFailure":
        return new Event.CallerLeft();
      case "callerConnectionSplit":
        return new Event.ConnectionSplit(true);
      case "calleeConnectionSplit":
        return new Event.ConnectionSplit(false);
      default:
        throw new BadCallback("unknown event '" + name + "'; expected one of the vendor's: calledPartyFailure, "
            + "calledPartyDrop, callingPartyDrop, callingPartyFailure, callerConnectionSplit, calleeConnectionSplit");
    }
  }
}
