package io.callflow.http;

import static io.callflow.flow.CallbackKind.CALL_EVENT;
import static io.callflow.flow.CallbackKind.IVR;
import static io.callflow.flow.CallbackKind.NEW_CALL;
import static io.callflow.flow.CallbackKind.NOTIFY;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.config.AppConfig;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.FlowRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** callflow's whole HTTP surface in one table. */
public final class Routes {

  private static final String KIND = "callflow.callbackKind";

  private Routes() {
  }

  /** The admin API's handlers. */
  record Admin(FlowApiHandler flows, CallApiHandler calls) {
  }

  /**
   * The callbacks, health, the IVR-message intake when configured, and (unless it has a port of its own,
   * {@code admin} null) the admin API.
   */
  static Router create(Vertx vertx, AppConfig config, FlowRegistry flows, CallDriver driver, Admin admin,
                       CallbackAuth auth, IvrMessageHandler messages, HealthHandler health, CallMetrics metrics) {
    String base = config.server().basePath();
    NotificationHandler notifications = new NotificationHandler(driver);

    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.server().bodyLimitBytes()));
    router.route().handler(health::closeWhenStopping);
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    if (admin != null) {
      router.get("/metrics").handler(metrics::serve);
    }

    Callbacks callbacks = new Callbacks(router, base, metrics, auth);
    callbacks.add("/newCall", NEW_CALL, new NewCallHandler(flows, driver));
    callbacks.add("/getIvrCommand", IVR, new IvrCommandHandler(driver));
    callbacks.add("/callEvent", CALL_EVENT, new CallEventHandler(driver));
    callbacks.add("/callNotify", NOTIFY, notifications::callNotify);
    callbacks.add("/callAnswered", NOTIFY, notifications::callAnswered);
    callbacks.add("/recordingReady", NOTIFY, notifications::recordingReady);
    callbacks.add("/sessionCompleted", NOTIFY, notifications::sessionCompleted);
    callbacks.add("/getCallIdentifier", NOTIFY, new CallIdentifierHandler(flows, driver));
    callbacks.add("/alarm", NOTIFY, notifications::alarm);

    AppConfig.IvrMessages intake = config.outbound().ivrMessages();
    if (intake != null && intake.path() != null) {
      router.post(IvrMessageHandler.route(intake.path())).handler(messages);
    }
    if (admin != null) {
      addAdmin(router, config, admin);
    }
    return finish(router, driver);
  }

  /** The admin listener: the admin API, /metrics for Prometheus, and health for probes on this port. */
  static Router admin(Vertx vertx, AppConfig config, CallDriver driver, Admin admin, HealthHandler health,
                      CallMetrics metrics) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.server().bodyLimitBytes()));
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    router.get("/metrics").handler(metrics::serve);
    addAdmin(router, config, admin);
    return finish(router, driver);
  }

  private static void addAdmin(Router router, AppConfig config, Admin admin) {
    FlowApiHandler flowApi = admin.flows();
    CallApiHandler calls = admin.calls();
    router.route("/api/*").handler(new AdminAuth(config.admin()));
    router.post("/api/calls").handler(calls::place);
    router.get("/api/calls").handler(calls::list);
    router.get("/api/calls/:id").handler(calls::get);
    router.delete("/api/calls/:id").handler(calls::hangup);
    router.post("/api/calls/:id/interrupt").handler(calls::interrupt);
    router.get("/api/flows").handler(flowApi::list);
    router.post("/api/flows/validate").handler(flowApi::validate);
    router.post("/api/flows/import/:format").handler(flowApi::importFlow);
    router.get("/api/flows/:id").handler(flowApi::get);
    router.put("/api/flows/:id").handler(flowApi::put);
    router.delete("/api/flows/:id").handler(flowApi::delete);
    router.get("/api/flows/:id/versions").handler(flowApi::versions);
    router.get("/api/flows/:id/diagram").handler(flowApi::diagram);
  }

  /** The mediaservice's callbacks: each timed, authenticated, and marked with the kind of answer it needs. */
  private record Callbacks(Router router, String base, CallMetrics metrics, CallbackAuth auth) {

    void add(String path, CallbackKind kind, Handler<RoutingContext> handler) {
      router.post(base + path)
          .handler(ctx -> {
            ctx.put(KIND, kind);
            ctx.next();
          })
          .handler(metrics.timer(path.substring(1))).handler(auth).handler(handler);
    }
  }

  /** The kind of answer the callback being served needs, as its route says; null off the callback routes. */
  static CallbackKind kind(RoutingContext ctx) {
    return ctx.get(KIND);
  }

  private static Router finish(Router router, CallDriver driver) {
    router.route().failureHandler(new FailureHandler(driver));
    router.errorHandler(404, ctx -> Responses.error(ctx, 404, "no such endpoint: " + ctx.request().path()));
    router.errorHandler(405, ctx -> Responses.error(ctx, 405, "method not allowed here"));
    return router;
  }
}
