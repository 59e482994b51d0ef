package io.callflow.http;

import io.callflow.flow.FlowRegistry;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * /health: the process answers. /ready: it should get traffic — flows are loaded, the session store answers, it
 * is warm (server.warmupSeconds) and it is not shutting down.
 */
final class HealthHandler {

  /** A store that has not answered the readiness ping by then counts as unreachable. */
  static final long PING_TIMEOUT_MILLIS = 500;

  private final FlowRegistry flows;
  private final SessionStore store;
  private final AtomicBoolean stopping;
  private final AtomicBoolean warming;

  HealthHandler(FlowRegistry flows, SessionStore store, AtomicBoolean stopping) {
    this(flows, store, stopping, new AtomicBoolean());
  }

  /** {@code warming}: set while the instance warms up before its first real callback (server.warmupSeconds). */
  HealthHandler(FlowRegistry flows, SessionStore store, AtomicBoolean stopping, AtomicBoolean warming) {
    this.flows = flows;
    this.store = store;
    this.stopping = stopping;
    this.warming = warming;
  }

  void health(RoutingContext ctx) {
    Responses.json(ctx, "{\"status\":\"up\"}");
  }

  void ready(RoutingContext ctx) {
    io.callflow.session.EventLoopTimeout.within(store.ping(), PING_TIMEOUT_MILLIS)
        .transform(ping -> Future.succeededFuture(ping.succeeded()))
        .onSuccess(reachable -> answerReady(ctx, reachable));
  }

  private void answerReady(RoutingContext ctx, boolean storeReachable) {
    int loaded = flows.all().size();
    String reason = stopping.get() ? "shutting down" : loaded == 0 ? "no flows loaded"
        : !storeReachable ? "session store unreachable" : warming.get() ? "warming up" : null;
    JsonObject body = new JsonObject().put("ready", reason == null).put("flows", loaded);
    if (reason != null) {
      body.put("reason", reason);
    }
    ctx.response().setStatusCode(reason == null ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
