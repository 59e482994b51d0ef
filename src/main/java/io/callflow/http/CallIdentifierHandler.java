package io.callflow.http;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /getCallIdentifier: in service-node mode the mediaservice asks for callflow's reference instead of sending
 * /newCall, then asks for IVR commands; the call is registered on the flow its calledParty routes to. The vendor
 * gives this callback no way to refuse, so a number no flow answers still gets its reference (without a flow) and
 * is refused where it can be: at /newCall (drop numberNotFound), or by the apology at its first getIvrCommand.
 */
final class CallIdentifierHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  private final FlowRegistry flows;
  private final CallDriver driver;

  CallIdentifierHandler(FlowRegistry flows, CallDriver driver) {
    this.flows = flows;
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    GetCallIdentifier request = CallbackBodies.decode(ctx, GetCallIdentifier.class);
    String named = CallbackBodies.callIdOrNull(null, request.sessionId());
    String callId = named != null ? named : java.util.UUID.randomUUID().toString();
    Flow flow = flows.route(request.calledParty()).orElse(null);
    if (flow == null) {
      LOG.warn("call.unrouted callId={} calledParty={}: answered with a reference, refused at newCall", callId,
          request.calledParty());
      Responses.json(ctx, answer(request.sessionId(), Map.of("callId", callId)));
      return;
    }
    Caller caller = new Caller(null, request.calledParty(), null, Map.of());
    CallDriver.Start start = new CallDriver.Start(callId, flow, caller,
        CallIds.of(request.sessionId(), request.siteBaseUrl()), Session.Direction.INBOUND);
    Object reference = CallReference.of(callId, flow).json();
    driver.register(start).onComplete(done -> Responses.json(ctx, answer(request.sessionId(), reference)));
  }

  private static String answer(String sessionId, Object reference) {
    Map<String, Object> answer = new LinkedHashMap<>();
    if (sessionId != null) {
      answer.put("sessionId", sessionId);
    }
    answer.put("sessionReferenceId", reference);
    return Answers.write(answer);
  }
}
