package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.CallDriver;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.mediaservice.CallReference;
import io.callflow.mediaservice.Payloads.GetCallIdentifier;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Session;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /getCallIdentifier: in service-node mode the mediaservice asks for callflow's reference instead of sending
 * /newCall, then asks for IVR commands; the call is registered on the flow its calledParty routes to.
 */
final class CallIdentifierHandler implements Handler<RoutingContext> {

  private final FlowRegistry flows;
  private final CallDriver driver;

  CallIdentifierHandler(FlowRegistry flows, CallDriver driver) {
    this.flows = flows;
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    GetCallIdentifier request = CallbackBodies.decode(ctx, GetCallIdentifier.class);
    String callId = CallbackBodies.callId(null, request.sessionId());
    Flow flow = flows.route(request.calledParty())
        .orElseThrow(() -> new BadCallback(404, "no flow answers calledParty " + request.calledParty()));
    Caller caller = new Caller(null, request.calledParty(), null, Map.of());
    CallDriver.Start start = new CallDriver.Start(callId, flow, caller,
        CallIds.of(request.sessionId(), request.siteBaseUrl()), Session.Direction.INBOUND);
    driver.register(start).onComplete(done -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("sessionId", request.sessionId());
      answer.put("sessionReferenceId", CallReference.of(callId, flow).json());
      Responses.json(ctx, Answers.write(answer));
    });
  }
}
