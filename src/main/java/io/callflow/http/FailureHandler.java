package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.CallDriver;
import io.callflow.flow.CallbackKind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to answers once, at the edge: refused input is a 4xx JSON error; anything unexpected on a
 * callback route still gets the failsafe answer for the kind its route is marked with (Routes), never a 5xx the
 * mediaservice would treat as a dead application.
 */
final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final CallDriver driver;

  FailureHandler(CallDriver driver) {
    this.driver = driver;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof BadCallback bad) {
      LOG.info("callback.refused path={} status={} error={}", ctx.normalizedPath(), bad.status(), bad.getMessage());
      Responses.error(ctx, bad.status(), bad.getMessage());
      return;
    }
    if (failure instanceof CallDriver.NotKept notKept) {
      // Neither stored nor kept: a 200 would tell the mediaservice it was, so it hears that it was not.
      Responses.error(ctx, 503, notKept.getMessage());
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400 && status < 500) {
      Responses.error(ctx, status, status == 413 ? "body too large" : "request refused");
      return;
    }
    LOG.error("callback.failed path={}", ctx.normalizedPath(), failure);
    CallbackKind kind = Routes.kind(ctx);
    if (kind == null) {
      Responses.error(ctx, 500, "internal error");
    } else {
      Responses.json(ctx, driver.failsafe(kind, null, null, null, null));
    }
  }
}
