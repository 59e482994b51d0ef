package io.callflow.server;

import io.callflow.config.AppConfig;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.session.SessionStore;
import io.callflow.session.Stores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires callflow from its configuration and starts it: flows, session store, driver, HTTP verticles, reaper. */
public final class Server {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");

  private final Vertx vertx;
  private final int port;
  private final List<String> deploymentIds;
  private final long reaper;
  private final long reloader;
  private final AtomicLong refused;
  private final AtomicBoolean stopping;
  private final SessionStore store;

  private Server(Vertx vertx, int port, List<String> deploymentIds, long reaper, long reloader, AtomicLong refused,
                 AtomicBoolean stopping, SessionStore store) {
    this.vertx = vertx;
    this.port = port;
    this.deploymentIds = deploymentIds;
    this.reaper = reaper;
    this.reloader = reloader;
    this.refused = refused;
    this.stopping = stopping;
    this.store = store;
  }

  /** Callbacks refused by callback authentication since start. */
  public long refusedCallbacks() {
    return refused.get();
  }

  public static Future<Server> start(Vertx vertx, AppConfig config, Clock clock) {
    FlowRegistry flows = new FlowRegistry(config.flows().defaultFlow());
    CallMetrics metrics = CallMetrics.prometheus();
    Stores stores = Stores.open(vertx, config.session());
    FlowWatcher watcher = new FlowWatcher(Path.of(config.flows().dir()), flows, metrics, stores.flowSources());
    List<String> pems = new ArrayList<>();
    return vertx.executeBlocking(() -> {
          if (config.callbackAuth().mode().equals("jwt")) {
            for (String file : config.callbackAuth().credentials()) {
              pems.add(Files.readString(Path.of(file)));
            }
          }
          watcher.scan();
          if (config.flows().defaultFlow() != null && flows.current(config.flows().defaultFlow()).isEmpty()) {
            LOG.warn("flow.missing defaultFlow={} is not loaded; numbers no flow claims are refused",
                config.flows().defaultFlow());
          }
          return flows;
        })
        .compose(loaded -> deploy(vertx, config, clock, flows, watcher, pems, metrics, stores));
  }

  private static Future<Server> deploy(Vertx vertx, AppConfig config, Clock clock, FlowRegistry flows,
                                       FlowWatcher watcher, List<String> pems, CallMetrics metrics, Stores stores) {
    if (config.callbackAuth().mode().equals("none")) {
      LOG.warn("callback.auth mode=none: anyone who can reach this port can drive calls; "
          + "set callbackAuth.mode for production");
    }
    AtomicBoolean stopping = new AtomicBoolean();
    AppConfig.Sessions sessions = config.session();
    SessionStore store = stores.sessions();
    AtomicLong refused = new AtomicLong();
    CallDriver driver = new CallDriver(new FlowVersions(flows, stores.flowSources()), store, new Answers(config.tts()),
        config.failsafe().message(), clock,
        Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics);
    metrics.gauge("callflow.callbacks.unauthorized", refused::get);
    metrics.gauge("callflow.flows.loaded", () -> flows.all().size());
    // Callbacks are small: tight limits on request line and headers, and idle connections are closed.
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setMaxInitialLineLength(2048)
        .setMaxHeaderSize(16 * 1024)
        .setIdleTimeout(120);
    int instances = config.server().instances() > 0 ? config.server().instances()
        : 2 * Runtime.getRuntime().availableProcessors();
    AtomicReference<HttpServerVerticle> first = new AtomicReference<>();
    boolean adminApart = config.admin().port() > 0;
    return vertx.deployVerticle(() -> {
          HttpServerVerticle verticle = new HttpServerVerticle(options,
              v -> Routes.create(v, config, flows, driver, adminApart ? null : new FlowApiHandler(v, flows, watcher, store),
                  new CallbackAuth(v, config.callbackAuth(), pems, refused), new HealthHandler(flows, stopping), metrics));
          first.compareAndSet(null, verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> !adminApart ? Future.succeededFuture(List.of(id))
            : vertx.deployVerticle(new HttpServerVerticle(new HttpServerOptions().setHost(config.admin().host())
                .setPort(config.admin().port()), v -> Routes.admin(v, config, driver, new FlowApiHandler(v, flows,
                watcher, store)))).map(adminId -> List.of(id, adminId)))
        .map(ids -> {
          // The sweep walks every session in memory: on a worker, so no event loop stalls while it runs (in Redis
          // it only sends commands, and the instance whose claim wins a call reports it).
          long reaper = vertx.setPeriodic(sessions.reapIntervalSeconds() * 1000L,
              tick -> vertx.executeBlocking(() -> store.reap(clock.instant()), false).compose(reaping -> reaping)
                  .onSuccess(reaped -> reaped.forEach(s ->
                      LOG.info("call.ended callId={} flow={} state={} reason=expired", s.callId(), s.flowId(),
                          s.at().state()))));
          long reloader = config.flows().reloadSeconds() == 0 ? -1
              : vertx.setPeriodic(config.flows().reloadSeconds() * 1000L, tick -> vertx.executeBlocking(() -> {
                watcher.scan();
                return null;
              }, false).onFailure(e -> LOG.error("flow.scan failed: {}", e.toString())));
          return new Server(vertx, first.get().actualPort(), ids, reaper, reloader, refused, stopping, store);
        });
  }

  public int port() {
    return port;
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reaper);
    vertx.cancelTimer(reloader);
    // The store goes last: undeploying answers the callbacks in flight, and they need it.
    return Future.all(deploymentIds.stream().map(vertx::undeploy).toList()).eventually(store::close).mapEmpty();
  }

  /**
   * Graceful shutdown: /ready answers 503 at once so load balancers stop sending; after {@code drain} the server
   * stops accepting connections and finishes the callbacks in flight (bounded), then everything stops.
   */
  public Future<Void> shutdown(Duration drain) {
    stopping.set(true);
    LOG.info("callflow.stopping drainMs={}", drain.toMillis());
    return vertx.timer(Math.max(1, drain.toMillis())).compose(t -> stop())
        .onComplete(done -> LOG.info("callflow.stopped"));
  }
}
