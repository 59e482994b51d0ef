package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.OutboundCalls;
import io.callflow.config.AppConfig;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "send IVR message" intake of ServiceMobility's IVR REST API Interface: {@code POST <path with the request id>}
 * with an IVR Message object becomes an outbound call to the contact that plays the message through the configured
 * flow, the message's fields being its variables. The x-access-token JWT is verified when a public key is
 * configured. 200 when the call is placed, 400 for a bad message, 401 for a bad token, 500 with the cause when the
 * call cannot be placed.
 */
final class IvrMessageHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");
  /** The IVR Message object's fields, all passed to the flow as variables. */
  static final List<String> FIELDS = List.of("requestId", "type", "referenceCode", "contactName", "contactNumber",
      "messageCode", "messageDescription");

  private final AppConfig.Outbound config;
  private final JWTAuth verifier;
  private final FlowRegistry flows;
  private final OutboundCalls outbound;

  /** {@code publicKeyPem} verifies x-access-token; null accepts any token. */
  IvrMessageHandler(Vertx vertx, AppConfig.Outbound config, String publicKeyPem, FlowRegistry flows,
                    OutboundCalls outbound) {
    this.config = config;
    this.flows = flows;
    this.outbound = outbound;
    this.verifier = publicKeyPem == null ? null : JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicKeyPem)));
  }

  /** The Vert.x route path for the configured path: {0} is the request id. */
  static String route(String configuredPath) {
    return configuredPath.replace("{0}", ":requestId");
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticated(ctx.request().getHeader("x-access-token")).onComplete(checked -> {
      if (checked.failed()) {
        LOG.info("message.unauthorized from={}", ctx.request().remoteAddress());
        Responses.error(ctx, 401, "Invalid Logon");
        return;
      }
      try {
        send(ctx);
      } catch (BadCallback bad) {
        ctx.fail(bad);
      }
    });
  }

  private Future<Void> authenticated(String token) {
    if (verifier == null) {
      return Future.succeededFuture();
    }
    if (token == null || token.isBlank()) {
      return Future.failedFuture("no x-access-token");
    }
    return verifier.authenticate(new TokenCredentials(token)).mapEmpty();
  }

  private void send(RoutingContext ctx) {
    String requestId = ctx.pathParam("requestId");
    JsonObject message = RequestBodies.object(ctx);
    Map<String, String> variables = new LinkedHashMap<>();
    for (String field : FIELDS) {
      String value = RequestBodies.string(message, field, field.equals("contactNumber")
          || field.equals("messageDescription"));
      if (value != null) {
        variables.put(field, value);
      }
    }
    if (variables.containsKey("requestId") && !variables.get("requestId").equals(requestId)) {
      throw new BadCallback("requestId '" + variables.get("requestId") + "' differs from the path's '" + requestId + "'");
    }
    variables.put("requestId", requestId);
    String to = variables.get("contactNumber");
    if (!to.matches("sips?:[^\\s@]+@[^\\s@]+|\\+?[0-9]{2,20}")) {
      throw new BadCallback("contactNumber must be a phone number like +46701234567 or a SIP URI");
    }
    Flow flow = flows.current(config.ivrMessages().flow()).orElse(null);
    if (flow == null) {
      failed(ctx, requestId, "the flow '" + config.ivrMessages().flow() + "' that plays IVR messages is not loaded");
      return;
    }
    outbound.place(new OutboundCalls.Request(to, null, variables.get("contactName"), flow, variables,
            config.maxRingTime()))
        .onSuccess(session -> Responses.json(ctx, new JsonObject().put("requestId", requestId)
            .put("referenceCode", variables.get("referenceCode")).put("status", "placed")
            .put("callId", session.callId()).encode()))
        .onFailure(e -> failed(ctx, requestId, e.getMessage()));
  }

  private static void failed(RoutingContext ctx, String requestId, String detail) {
    LOG.warn("message.failed requestId={} detail={}", requestId, detail);
    ctx.response().setStatusCode(500).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", 500).put("error", "the IVR message could not be sent")
            .put("requestId", requestId).put("detail", detail).encode());
  }
}
