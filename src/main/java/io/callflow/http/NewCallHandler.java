package io.callflow.http;

import io.callflow.call.CallDriver;
import com.fasterxml.jackson.databind.JsonNode;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.mediaservice.Payloads.NewCall;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Session;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** /newCall: picks the flow by calledParty and starts the call on it; a number no flow answers is dropped. */
final class NewCallHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");

  private final FlowRegistry flows;
  private final CallDriver driver;

  NewCallHandler(FlowRegistry flows, CallDriver driver) {
    this.flows = flows;
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    NewCall call = CallbackBodies.decode(ctx, NewCall.class);
    String callId = CallbackBodies.callId(null, call.sessionId());
    var flow = flows.route(call.calledParty());
    if (flow.isEmpty()) {
      LOG.warn("call.refused callId={} calledParty={} reason=numberNotFound", callId, call.calledParty());
      Responses.json(ctx, Answers.drop("numberNotFound"));
      return;
    }
    Caller caller = new Caller(call.callingParty(), call.calledParty(), call.displayName(),
        headers(call.xHeaders(), call.pHeaders()), call.isPrivate());
    driver.start(new CallDriver.Start(callId, flow.get(), caller, CallIds.of(call.sessionId(), call.siteBaseUrl()),
            Session.Direction.INBOUND))
        .onComplete(answer -> Responses.json(ctx, answer.result()));
  }

  /** X- and P- headers by lower-case name; a repeated header's values joined with commas. */
  static Map<String, String> headers(Map<String, JsonNode> xHeaders, Map<String, JsonNode> pHeaders) {
    Map<String, String> all = new HashMap<>();
    for (Map<String, JsonNode> headers : new Map[] {xHeaders, pHeaders}) {
      if (headers != null) {
        headers.forEach((name, value) -> all.put(name.toLowerCase(Locale.ROOT), text(value)));
      }
    }
    return all;
  }

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (value.isArray()) {
      StringBuilder joined = new StringBuilder();
      value.forEach(v -> joined.append(joined.length() == 0 ? "" : ",").append(v.asText()));
      return joined.toString();
    }
    return value.asText();
  }
}
