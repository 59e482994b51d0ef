package io.callflow.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers; every answer callflow sends goes out through here. */
final class Responses {

  private Responses() {
  }

  static void json(RoutingContext ctx, String json) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Content-Type", "application/json").end(json);
    }
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", status).put("error", message).encode());
    }
  }
}
