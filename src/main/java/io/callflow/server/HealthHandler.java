package io.callflow.server;

import io.callflow.flow.FlowRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/** /health: the process answers. /ready: it should get traffic — flows are loaded and it is not shutting down. */
final class HealthHandler {

  private final FlowRegistry flows;
  private final AtomicBoolean stopping;

  HealthHandler(FlowRegistry flows, AtomicBoolean stopping) {
    this.flows = flows;
    this.stopping = stopping;
  }

  /**
   * While shutting down, every answer asks the client to close its connection, so that no client sends a request
   * on a kept-alive connection the server is about to close (the request would be lost with it).
   */
  void closeWhenStopping(RoutingContext ctx) {
    if (stopping.get()) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.next();
  }

  void health(RoutingContext ctx) {
    Responses.json(ctx, "{\"status\":\"up\"}");
  }

  void ready(RoutingContext ctx) {
    int loaded = flows.all().size();
    String reason = stopping.get() ? "shutting down" : loaded == 0 ? "no flows loaded" : null;
    JsonObject body = new JsonObject().put("ready", reason == null).put("flows", loaded);
    if (reason != null) {
      body.put("reason", reason);
    }
    ctx.response().setStatusCode(reason == null ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
