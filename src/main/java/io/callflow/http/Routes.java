package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.config.AppConfig;
import io.callflow.flow.FlowRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** callflow's whole HTTP surface in one table. */
public final class Routes {

  private Routes() {
  }

  /** The admin API's handlers, the studio's among them. */
  record Admin(FlowApiHandler flows, CallApiHandler calls, Studio studio) {
  }

  /** The studio's handlers and its logins (one set of logins per server, shared by every event loop). */
  record Studio(StudioFlowsHandler flows, StudioHistoryHandler history, StudioLogins logins) {
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
    router.get("/metrics").handler(metrics::serve);

    router.post(base + "/newCall").handler(metrics.timer("newCall")).handler(auth).handler(new NewCallHandler(flows, driver));
    router.post(base + "/getIvrCommand").handler(metrics.timer("getIvrCommand")).handler(auth).handler(new IvrCommandHandler(driver));
    router.post(base + "/callEvent").handler(metrics.timer("callEvent")).handler(auth).handler(new CallEventHandler(driver));
    router.post(base + "/callNotify").handler(metrics.timer("callNotify")).handler(auth).handler(notifications::callNotify);
    router.post(base + "/callAnswered").handler(metrics.timer("callAnswered")).handler(auth).handler(notifications::callAnswered);
    router.post(base + "/recordingReady").handler(metrics.timer("recordingReady")).handler(auth).handler(notifications::recordingReady);
    router.post(base + "/sessionCompleted").handler(metrics.timer("sessionCompleted")).handler(auth).handler(notifications::sessionCompleted);
    router.post(base + "/getCallIdentifier").handler(metrics.timer("getCallIdentifier")).handler(auth).handler(new CallIdentifierHandler(flows, driver));
    router.post(base + "/alarm").handler(metrics.timer("alarm")).handler(auth).handler(notifications::alarm);

    AppConfig.IvrMessages intake = config.outbound().ivrMessages();
    if (intake != null && intake.path() != null) {
      router.post(IvrMessageHandler.route(intake.path())).handler(messages);
    }
    if (admin != null) {
      addAdmin(router, config, admin);
    }
    return finish(router, driver, base);
  }

  /** The admin API alone, for its own port. */
  static Router admin(Vertx vertx, AppConfig config, CallDriver driver, Admin admin) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.server().bodyLimitBytes()));
    addAdmin(router, config, admin);
    return finish(router, driver, config.server().basePath());
  }

  private static void addAdmin(Router router, AppConfig config, Admin admin) {
    FlowApiHandler flowApi = admin.flows();
    CallApiHandler calls = admin.calls();
    AdminAuth auth = new AdminAuth(config.admin(), admin.studio().logins());
    router.route("/api/*").handler(auth);
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
    addStudio(router, auth, admin.studio());
  }

  /** The studio's pages at /studio/ and its part of the admin API (behind the same gate). */
  private static void addStudio(Router router, AdminAuth auth, Studio studio) {
    StudioPages pages = new StudioPages(auth, studio.logins());
    StudioFlowsHandler flows = studio.flows();
    StudioHistoryHandler history = studio.history();
    // Vert.x lets "/studio" match "/studio/" too: only the bare path is sent on.
    router.get("/studio").handler(ctx -> {
      if (ctx.request().path().equals("/studio")) {
        ctx.redirect("/studio/");
      } else {
        ctx.next();
      }
    });
    router.get("/studio/").handler(pages::index);
    router.post("/studio/login").handler(pages::login);
    router.post("/studio/logout").handler(pages::logout);
    router.get("/studio/me").handler(pages::me);
    router.get("/studio/flow.schema.json").handler(pages::schema);
    router.get("/studio/:file").handler(pages::file);
    router.get("/api/studio/flows").handler(flows::overview);
    router.post("/api/flows/check").handler(flows::check);
    router.post("/api/flows/simulate").handler(flows::simulate);
    router.post("/api/flows/coverage").handler(flows::coverage);
    router.get("/api/flows/:id/graph").handler(flows::current);
    router.get("/api/flows/:id/funnel").handler(flows::funnel);
    router.get("/api/flows/:id/draft").handler(history::draft);
    router.put("/api/flows/:id/draft").handler(history::saveDraft);
    router.delete("/api/flows/:id/draft").handler(history::dropDraft);
    router.post("/api/flows/:id/publish").handler(history::publish);
    router.post("/api/flows/:id/rollback").handler(history::rollback);
    router.get("/api/flows/:id/history").handler(history::list);
    router.get("/api/flows/:id/history/:number").handler(history::source);
  }

  private static Router finish(Router router, CallDriver driver, String base) {
    router.route().failureHandler(new FailureHandler(driver, base));
    router.errorHandler(404, ctx -> Responses.error(ctx, 404, "no such endpoint: " + ctx.request().path()));
    router.errorHandler(405, ctx -> Responses.error(ctx, 405, "method not allowed here"));
    return router;
  }
}
