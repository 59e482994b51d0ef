package io.callflow.http;

import static io.callflow.flow.CallbackKind.CALL_EVENT;
import static io.callflow.flow.CallbackKind.IVR;
import static io.callflow.flow.CallbackKind.NEW_CALL;
import static io.callflow.flow.CallbackKind.NOTIFY;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.config.AppConfig;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.FlowValidator;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** callflow's whole HTTP surface in one table. */
public final class Routes {

  private static final String KIND = "callflow.callbackKind";

  private Routes() {
  }

  /**
   * The callback listener: the callbacks, health, the IVR-message intake when configured, and (when the admin API
   * has no port of its own) the admin API and /metrics.
   */
  static Handler<HttpServerRequest> callbacks(Vertx vertx, Collaborators parts) {
    Router router = callbackRouter(vertx, parts);
    java.util.concurrent.atomic.AtomicBoolean stopping = parts.stopping();
    // While shutting down, every answer asks the client to close its connection, so that no request is sent on a
    // kept-alive connection the server is about to close (it would be lost with it). Not a route: no cost per call.
    return request -> {
      if (stopping.get()) {
        request.response().putHeader("Connection", "close");
      }
      router.handle(request);
    };
  }

  private static Router callbackRouter(Vertx vertx, Collaborators parts) {
    AppConfig config = parts.config();
    CallDriver driver = parts.driver();
    HealthHandler health = new HealthHandler(parts.flows(), parts.store(), parts.stopping(), parts.warming());
    NotificationHandler notifications = new NotificationHandler(driver);

    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.server().bodyLimitBytes()));
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    if (!adminApart(config)) {
      router.get("/metrics").handler(parts.metrics()::serve);
    }

    Callbacks callbacks = new Callbacks(router, config.server().basePath(), parts.metrics(),
        new CallbackAuth(vertx, config.callbackAuth(), parts.keys().callbackKeys(), parts.refused()));
    callbacks.add("/newCall", NEW_CALL, new NewCallHandler(parts.flows(), driver));
    callbacks.add("/getIvrCommand", IVR, new IvrCommandHandler(driver));
    callbacks.add("/callEvent", CALL_EVENT, new CallEventHandler(driver));
    callbacks.add("/callNotify", NOTIFY, notifications::callNotify);
    callbacks.add("/callAnswered", NOTIFY, notifications::callAnswered);
    callbacks.add("/recordingReady", NOTIFY, notifications::recordingReady);
    callbacks.add("/sessionCompleted", NOTIFY, notifications::sessionCompleted);
    callbacks.add("/getCallIdentifier", NOTIFY, new CallIdentifierHandler(parts.flows(), driver));
    callbacks.add("/alarm", NOTIFY, notifications::alarm);
    callbacks.add("/newRemoteCall", NOTIFY, notifications::newRemoteCall);

    AppConfig.IvrMessages intake = config.outbound().ivrMessages();
    if (intake != null && intake.path() != null) {
      router.post(IvrMessageHandler.route(intake.path())).handler(new IvrMessageHandler(vertx, config.outbound(),
          parts.keys().ivrMessageKey(), parts.flows(), parts.outbound()));
    }
    if (!adminApart(config)) {
      addAdmin(router, vertx, parts);
    }
    return finish(router, driver);
  }

  /** The admin listener: the admin API, /metrics for Prometheus, and health for probes on this port. */
  static Router admin(Vertx vertx, Collaborators parts) {
    HealthHandler health = new HealthHandler(parts.flows(), parts.store(), parts.stopping(), parts.warming());
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(parts.config().server().bodyLimitBytes()));
    router.get("/health").handler(health::health);
    router.get("/ready").handler(health::ready);
    router.get("/metrics").handler(parts.metrics()::serve);
    addAdmin(router, vertx, parts);
    return finish(router, parts.driver());
  }

  /**
   * Whether the admin API and /metrics have a listener of their own (127.0.0.1 by default), so that exposing the
   * callbacks exposes nothing else; admin.port -1 puts them back on the callback port.
   */
  static boolean adminApart(AppConfig config) {
    return config.admin().port() != AppConfig.ADMIN_ON_CALLBACK_PORT;
  }

  private static void addAdmin(Router router, Vertx vertx, Collaborators parts) {
    FlowApiHandler flowApi = new FlowApiHandler(vertx, parts.flows(), parts.watcher(), parts.store(),
        new FlowValidator(parts.config().outbound().sipDomain()), parts.history());
    CallApiHandler calls = new CallApiHandler(parts.flows(), parts.store(), parts.driver(), parts.outbound(),
        parts.config().outbound(), parts.clock());
    AdminAuth auth = new AdminAuth(parts.config().admin(), parts.logins());
    router.route("/api/*").handler(auth);
    router.get("/api/openapi.json").handler(new OpenApiHandler());
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
    addStudio(router, vertx, parts, auth);
  }

  /** The studio's pages at /studio/ and its part of the admin API, behind the same gate. */
  private static void addStudio(Router router, Vertx vertx, Collaborators parts, AdminAuth auth) {
    StudioPages pages = new StudioPages(auth, parts.logins());
    StudioFlowsHandler flows = new StudioFlowsHandler(vertx, parts.flows(), parts.history(), parts.store(),
        parts.metrics().registry(), parts.watcher());
    StudioHistoryHandler history = new StudioHistoryHandler(vertx, parts.flows(), parts.history(),
        parts.watcher().validator());
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

  /** The mediaservice's callbacks: each timed, authenticated, and marked with the kind of answer it needs. */
  private record Callbacks(Router router, String base, CallMetrics metrics, CallbackAuth auth) {

    void add(String path, CallbackKind kind, Handler<RoutingContext> handler) {
      Handler<RoutingContext> timer = metrics.timer(path.substring(1));
      Route route = router.post(base + path).handler(ctx -> {
        ctx.put(KIND, kind);
        timer.handle(ctx);
      });
      if (!auth.open()) {
        route.handler(auth);
      }
      route.handler(handler);
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
