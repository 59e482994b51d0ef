package io.callflow.http;

import io.callflow.call.CallDriver;
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
    String callId = CallbackBodies.callId(request.sessionReferenceId(), request.sessionId());
    String replyId = CallbackBodies.require(request.replyId(), "replyId");
    CallIds ids = CallIds.ivr(request.sessionId(), replyId, request.siteBaseUrl());
    driver.step(new CallDriver.Callback(Routes.kind(ctx), callId, replyId, ids,
            new Event.IvrRequest(request.digits()), replyId))
        .onComplete(answer -> Responses.json(ctx, answer.result()));
  }
}
