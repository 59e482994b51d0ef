package io.callflow.http;

import io.callflow.flow.Activity;
import io.callflow.call.BadCallback;
import io.callflow.call.CallDriver;
import io.callflow.call.OutboundCalls;
import io.callflow.config.AppConfig;
import io.callflow.flow.EndReason;
import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.MediaserviceException;
import io.callflow.flow.Position;
import io.callflow.flow.Secrets;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls API: place an outbound call, list the live calls, read one, hang one up, move one to another state.
 * Everything goes through the session store and the engine, so any instance can act on any call.
 */
final class CallApiHandler {

  private static final int MAX_VARIABLES = 50;
  private static final int MAX_VALUE = 1000;

  private final FlowRegistry flows;
  private final SessionStore store;
  private final CallDriver driver;
  private final OutboundCalls outbound;
  private final AppConfig.Outbound config;
  private final Clock clock;

  CallApiHandler(FlowRegistry flows, SessionStore store, CallDriver driver, OutboundCalls outbound,
                 AppConfig.Outbound config, Clock clock) {
    this.flows = flows;
    this.store = store;
    this.driver = driver;
    this.outbound = outbound;
    this.config = config;
    this.clock = clock;
  }

  /** POST /api/calls {to, from, displayName, flow, variables, maxRingTime}: 201 with the new call, 502 if refused. */
  void place(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    String to = RequestBodies.string(body, "to", true);
    if (!to.matches("sips?:[^\\s@]+@[^\\s@]+|\\+?[0-9]{2,20}")) {
      throw new BadCallback("'to' must be a SIP URI or a number like +46701234567");
    }
    String from = RequestBodies.string(body, "from", false);
    if (from == null && config.from() == null) {
      throw new BadCallback("'from' is required (no outbound.from is configured)");
    }
    Flow flow = flows.current(RequestBodies.string(body, "flow", true))
        .orElseThrow(() -> new BadCallback(404, "no flow '" + body.getValue("flow") + "'"));
    Map<String, String> variables = variables(body.getValue("variables"));
    missingInputs(flow, variables);
    int ring = body.getValue("maxRingTime") == null ? config.maxRingTime() : RequestBodies.integer(body, "maxRingTime", 5, 120);
    outbound.place(new OutboundCalls.Request(to, from, RequestBodies.string(body, "displayName", false), flow,
            variables, ring))
        .onSuccess(session -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .putHeader("Location", "/api/calls/" + session.callId()).end(summary(session).encode()))
        .onFailure(e -> fail(ctx, e));
  }

  /** GET /api/calls: the live calls, oldest first. */
  void list(RoutingContext ctx) {
    store.live().onSuccess(live -> {
      JsonArray items = new JsonArray();
      live.stream().sorted(Comparator.comparingLong(Session::startedAtMillis)).forEach(s -> items.add(summary(s)));
      Responses.json(ctx, new JsonObject().put("count", items.size()).put("items", items).encode());
    }).onFailure(ctx::fail);
  }

  /** GET /api/calls/{id}: the call with its variables (secret ones masked), recordings and activity. */
  void get(RoutingContext ctx) {
    found(ctx).onSuccess(session -> Responses.json(ctx, detail(session).encode())).onFailure(ctx::fail);
  }

  /** DELETE /api/calls/{id}: hangs the call up (hangupparticipant, or the IVR's next command); 202. */
  void hangup(RoutingContext ctx) {
    live(ctx).compose(session -> driver.apply(session.callId(), new Event.HangupRequested(EndReason.OPERATOR_HANGUP)))
        .onSuccess(session -> accepted(ctx, session, "hangup requested"))
        .onFailure(ctx::fail);
  }

  /** POST /api/calls/{id}/interrupt {"goto": state}: the call in the IVR continues at that state at once; 202. */
  void interrupt(RoutingContext ctx) {
    String target = RequestBodies.string(RequestBodies.object(ctx), "goto", true);
    live(ctx).compose(session -> {
      Flow flow = flows.pinned(session.flowId(), session.flowVersion())
          .orElseThrow(() -> new IllegalStateException("flow " + session.flowId() + " is not loaded"));
      if (!flow.states().containsKey(target) && !Flow.FAILSAFE.equals(target)) {
        throw new BadCallback("flow " + flow.id() + " has no state '" + target + "'");
      }
      if (!session.at().inIvr()) {
        throw new BadCallback(409, "the call is not in the IVR now (" + phase(session) + ")");
      }
      return driver.apply(session.callId(), new Event.GotoRequested(target));
    }).onSuccess(session -> {
      Position at = session == null ? null : session.at();
      if (at == null || at.phase() != Position.Phase.SCHEDULED || !at.state().equals(target)) {
        Responses.error(ctx, 409, "the call left the IVR before it could be moved");
      } else {
        accepted(ctx, session, "moving to " + target);
      }
    }).onFailure(ctx::fail);
  }

  private Future<Session> found(RoutingContext ctx) {
    String callId = ctx.pathParam("id");
    return store.get(callId).map(session -> {
      if (session == null) {
        throw new BadCallback(404, "no call '" + callId + "'");
      }
      return session;
    });
  }

  private Future<Session> live(RoutingContext ctx) {
    return found(ctx).map(session -> {
      if (session.ended()) {
        throw new BadCallback(409, "the call has ended (" + session.endReason() + ")");
      }
      return session;
    });
  }

  private static void accepted(RoutingContext ctx, Session session, String what) {
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("callId", session.callId()).put("accepted", what).encode());
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof MediaserviceException refused) {
      Responses.error(ctx, 502, "the mediaservice did not place the call: " + refused.getMessage());
    } else {
      ctx.fail(e);
    }
  }

  /** Variables of a new call: names like flow variables, values text (numbers and booleans become text). */
  static Map<String, String> variables(Object given) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (given == null) {
      return variables;
    }
    if (!(given instanceof JsonObject object)) {
      throw new BadCallback("'variables' must be an object of names to values");
    }
    if (object.size() > MAX_VARIABLES) {
      throw new BadCallback("at most " + MAX_VARIABLES + " variables");
    }
    for (Map.Entry<String, Object> entry : object) {
      Object value = entry.getValue();
      if (!entry.getKey().matches("[a-zA-Z][a-zA-Z0-9_]{0,63}")) {
        throw new BadCallback("variable name '" + entry.getKey() + "' must be letters, digits and _ (a letter first)");
      }
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new BadCallback("variable '" + entry.getKey() + "' must be text, a number or true/false");
      }
      if (value.toString().length() > MAX_VALUE) {
        throw new BadCallback("variable '" + entry.getKey() + "' is longer than " + MAX_VALUE + " characters");
      }
      variables.put(entry.getKey(), value.toString());
    }
    return variables;
  }

  static void missingInputs(Flow flow, Map<String, String> variables) {
    for (String input : flow.inputs()) {
      if (!variables.containsKey(input)) {
        throw new BadCallback("flow " + flow.id() + " needs the variable '" + input + "'");
      }
    }
  }

  private JsonObject summary(Session session) {
    Instant now = clock.instant();
    long end = session.ended() ? session.updatedAtMillis() : now.toEpochMilli();
    JsonObject summary = new JsonObject().put("callId", session.callId()).put("flow", session.flowId())
        .put("version", session.flowVersion()).put("direction", session.direction().name().toLowerCase(java.util.Locale.ROOT))
        .put("state", session.at().state()).put("phase", phase(session))
        .put("from", session.caller().callingParty()).put("to", session.caller().calledParty())
        .put("startedAt", session.startedAt().toString())
        .put("durationSeconds", Math.max(0, end - session.startedAtMillis()) / 1000);
    if (session.endReason() != null) {
      summary.put("endReason", session.endReason());
    }
    return summary;
  }

  private JsonObject detail(Session session) {
    // An unknown flow version leaves no way to tell what is secret: then everything is.
    Secrets secrets = Secrets.of(flows.exact(session.flowId(), session.flowVersion()).orElse(null), session.vars());
    JsonObject variables = new JsonObject();
    secrets.shown(session.vars()).forEach(variables::put);
    JsonArray recordings = new JsonArray();
    session.recordings().forEach(r -> recordings.add(new JsonObject().put("file", r.file()).put("state", r.state())
        .put("at", Instant.ofEpochMilli(r.atMillis()).toString()).put("outcome", r.outcome()).put("bytes", r.bytes())
        .put("reason", r.reason())));
    JsonArray activity = new JsonArray();
    session.trail().forEach(a -> activity.add(new JsonObject().put("at", a.at().toString()).put("state", a.state())
        .put("kind", a.kind().wire()).put("detail", secrets.scrub(a.detail()))));
    return summary(session).put("sessionId", session.ids().sessionId()).put("variables", variables)
        .put("recordings", recordings).put("activity", activity);
  }

  private static String phase(Session session) {
    return session.at().phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
