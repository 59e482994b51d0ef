package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.Event;
import io.callflow.mediaservice.Payloads.GetIvrCommand;
import io.callflow.flow.CallIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** /getIvrCommand: the next IVR command of the call; the request's replyId identifies repeats and is echoed. */
final class IvrCommandHandler implements Handler<RoutingContext> {

  private final CallDriver driver;

  IvrCommandHandler(CallDriver driver) {
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    GetIvrCommand request = CallbackBodies.decode(ctx, GetIvrCommand.class);
    String callId = CallbackBodies.callIdOrNull(request.sessionReferenceId(), request.sessionId());
    // The vendor's own sample has "replyId": null: then the answer carries none and repeats are known by
    // httpTransactionId, where present (mediaservice-protocol.md).
    String replyId = request.replyId() == null || request.replyId().isBlank() ? null : request.replyId();
    if (callId == null) {
      Responses.json(ctx, driver.unnamed(CallbackKind.IVR, "getIvrCommand", replyId));
      return;
    }
    String key = replyId != null ? replyId : request.httpTransactionId();
    CallIds ids = CallIds.ivr(request.sessionId(), replyId, request.siteBaseUrl());
    driver.step(new CallDriver.Callback(Routes.kind(ctx), callId, key, ids,
            new Event.IvrRequest(request.digits()), replyId))
        .onComplete(answer -> Responses.json(ctx, answer.result()));
  }
}
