package io.callflow.server;

import io.callflow.config.AppConfig;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.report.ActivityRecords;
import io.callflow.report.Reporting;
import io.callflow.session.InMemorySessionStore;
import io.callflow.session.Lifetimes;
import io.callflow.session.Session;
import io.callflow.session.SessionStore;
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
  /** How long stopping gives exporters to send what is waiting; the rest is sent after the next start. */
  private static final Duration EXPORT_DRAIN = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final int port;
  private final List<String> deploymentIds;
  private final long reaper;
  private final long reloader;
  private final AtomicLong refused;
  private final AtomicBoolean stopping;
  private final Reporting reporting;

  private Server(Vertx vertx, int port, List<String> deploymentIds, long reaper, long reloader, AtomicLong refused,
                 AtomicBoolean stopping, Reporting reporting) {
    this.vertx = vertx;
    this.port = port;
    this.deploymentIds = deploymentIds;
    this.reaper = reaper;
    this.reloader = reloader;
    this.refused = refused;
    this.stopping = stopping;
    this.reporting = reporting;
  }

  /** Callbacks refused by callback authentication since start. */
  public long refusedCallbacks() {
    return refused.get();
  }

  public static Future<Server> start(Vertx vertx, AppConfig config, Clock clock) {
    FlowRegistry flows = new FlowRegistry(config.flows().defaultFlow());
    // -Dcallflow.metrics=off: only for measuring what metrics cost on the callback path (bench/run.sh).
    CallMetrics metrics = "off".equals(System.getProperty("callflow.metrics")) ? CallMetrics.off()
        : CallMetrics.prometheus();
    FlowWatcher watcher = new FlowWatcher(Path.of(config.flows().dir()), flows, metrics);
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
        .compose(loaded -> Reporting.start(vertx, config.report(), clock, metrics.registry()))
        .compose(reporting -> deploy(vertx, config, clock, flows, watcher, pems, metrics, reporting));
  }

  private static Future<Server> deploy(Vertx vertx, AppConfig config, Clock clock, FlowRegistry flows,
                                       FlowWatcher watcher, List<String> pems, CallMetrics metrics,
                                       Reporting reporting) {
    if (config.callbackAuth().mode().equals("none")) {
      LOG.warn("callback.auth mode=none: anyone who can reach this port can drive calls; "
          + "set callbackAuth.mode for production");
    }
    AtomicBoolean stopping = new AtomicBoolean();
    AppConfig.Sessions sessions = config.session();
    SessionStore store = new InMemorySessionStore(new Lifetimes(
        Duration.ofSeconds(sessions.ttlSeconds()), Duration.ofSeconds(sessions.tombstoneSeconds())));
    AtomicLong refused = new AtomicLong();
    CallDriver driver = new CallDriver(flows, store, new Answers(config.tts()), config.failsafe().message(), clock,
        Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics, reporting);
    AtomicLong live = new AtomicLong();
    metrics.gauge("callflow.calls.live", live::get);
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
                  new CallbackAuth(v, config.callbackAuth(), pems, refused), new HealthHandler(flows, store, stopping), metrics));
          first.compareAndSet(null, verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> !adminApart ? Future.succeededFuture(List.of(id))
            : vertx.deployVerticle(new HttpServerVerticle(new HttpServerOptions().setHost(config.admin().host())
                .setPort(config.admin().port()), v -> Routes.admin(v, config, driver, new FlowApiHandler(v, flows,
                watcher, store)))).map(adminId -> List.of(id, adminId)))
        .map(ids -> {
          long reaper = vertx.setPeriodic(sessions.reapIntervalSeconds() * 1000L,
              tick -> reap(vertx, store, clock, metrics, live)
                  .onSuccess(reaped -> reaped.forEach(s -> {
                    LOG.info("call.ended callId={} flow={} state={} reason=expired", s.callId(), s.flowId(),
                        s.at().state());
                    metrics.ended(s.flowId(), "expired");
                    reporting.ended(ActivityRecords.build(flows.pinned(s.flowId(), s.flowVersion()).orElse(null),
                        s.end("expired"), clock.instant()));
                  }))
                  .onFailure(e -> LOG.error("session.reap failed: {}", e.toString(), e)));
          long reloader = config.flows().reloadSeconds() == 0 ? -1
              : vertx.setPeriodic(config.flows().reloadSeconds() * 1000L, tick -> vertx.executeBlocking(() -> {
                watcher.scan();
                return null;
              }, false).onFailure(e -> LOG.error("flow.scan failed: {}", e.toString())));
          return new Server(vertx, first.get().actualPort(), ids, reaper, reloader, refused, stopping, reporting);
        });
  }

  /**
   * One reaper sweep: removes expired sessions, then counts the live calls for the gauge. Sessions in this process
   * are walked inside {@code reap} and {@code live} themselves, so both are called on a worker and no event loop
   * stalls (Future.await() is refused on a worker in Vert.x 5, hence compose).
   */
  private static Future<List<Session>> reap(Vertx vertx, SessionStore store, Clock clock, CallMetrics metrics,
                                            AtomicLong live) {
    long began = System.nanoTime();
    return vertx.executeBlocking(() -> store.reap(clock.instant()), false).compose(reaping -> reaping)
        .andThen(done -> metrics.store("reap", System.nanoTime() - began, done.succeeded()))
        .compose(reaped -> vertx.executeBlocking(store::live, false).compose(counting -> counting)
            .map(sessions -> {
              live.set(sessions.size());
              return reaped;
            }));
  }

  public int port() {
    return port;
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reaper);
    vertx.cancelTimer(reloader);
    // Last: every callback in flight has handed its record in before the outbox is flushed and closed.
    return Future.all(deploymentIds.stream().map(vertx::undeploy).toList())
        .compose(undeployed -> reporting.close(EXPORT_DRAIN));
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
