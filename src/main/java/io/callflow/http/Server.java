package io.callflow.http;

import io.callflow.call.CallMetrics;
import io.callflow.call.Reaper;
import io.callflow.call.Takeover;
import io.callflow.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts callflow from its configuration, top to bottom: its collaborators ({@link Collaborators#assemble}), the
 * callback listener (one verticle per event loop) and the admin listener, then the reaper and the flow reloader.
 */
public final class Server {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /** How long stopping gives exporters to send what is waiting; the rest is sent after the next start. */
  private static final Duration EXPORT_DRAIN = Duration.ofSeconds(5);
  /** How often an instance renews its lease and looks for work of dead instances (leases last three times as long). */
  private static final Duration TAKEOVER_INTERVAL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final Collaborators parts;
  private final int port;
  private final int adminPort;
  private final List<String> deploymentIds;
  private final List<Long> timers;

  private Server(Vertx vertx, Collaborators parts, int port, int adminPort, List<String> deploymentIds,
                 List<Long> timers) {
    this.vertx = vertx;
    this.parts = parts;
    this.port = port;
    this.adminPort = adminPort;
    this.deploymentIds = deploymentIds;
    this.timers = timers;
  }

  /** Callbacks refused by callback authentication since start. */
  public long refusedCallbacks() {
    return parts.refused().get();
  }

  public static Future<Server> start(Vertx vertx, AppConfig config, Clock clock) {
    return Collaborators.assemble(vertx, config, clock).compose(parts -> deploy(vertx, parts));
  }

  /**
   * The callback listener's options. Callbacks are small: tight limits on request line and headers. A connection
   * that sends nothing for 120 s is closed ("read idle": answers are only written to a request just read, and
   * watching writes too would put a listener on every answer).
   */
  static HttpServerOptions callbackOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setMaxInitialLineLength(2048)
        .setMaxHeaderSize(16 * 1024)
        .setReadIdleTimeout(120);
  }

  private static Future<Server> deploy(Vertx vertx, Collaborators parts) {
    AppConfig config = parts.config();
    warnAboutOpenDoors(config, parts.keys());
    Reaper reaper = new Reaper(vertx, parts.store(), parts.flows(), parts.driver(), parts.reporting(),
        parts.metrics(), parts.clock());
    publish(parts, reaper);

    HttpServerOptions callbackOptions = callbackOptions(config.server().host(), config.server().port());
    int instances = config.server().instances() > 0 ? config.server().instances()
        : 2 * Runtime.getRuntime().availableProcessors();
    List<HttpServerVerticle> callbackListeners = new CopyOnWriteArrayList<>();
    AtomicReference<HttpServerVerticle> adminListener = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          HttpServerVerticle verticle = new HttpServerVerticle(callbackOptions, v -> Routes.callbacks(v, parts));
          callbackListeners.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> {
          if (!Routes.adminApart(config)) {
            return Future.succeededFuture(List.of(id));
          }
          HttpServerVerticle verticle = new HttpServerVerticle(new HttpServerOptions().setHost(config.admin().host())
              .setPort(config.admin().port()), v -> Routes.admin(v, parts));
          adminListener.set(verticle);
          return vertx.deployVerticle(verticle).map(adminId -> List.of(id, adminId));
        })
        .map(ids -> {
          long sweeps = reaper.every(Duration.ofSeconds(config.session().reapIntervalSeconds()));
          // Sessions in Redis: work a dead instance ordered is carried on by a live one (leases of a few seconds),
          // and notifications kept while Redis was away are applied once it is back.
          long takeover = new Takeover(vertx, parts.store(), parts.driver(), parts.runner(), parts.reporting(),
              parts.metrics()).every(TAKEOVER_INTERVAL);
          long replayer = parts.journal() == null ? -1 : parts.journal().every(parts.driver(), TAKEOVER_INTERVAL);
          long reloader = config.flows().reloadSeconds() == 0 ? -1
              : vertx.setPeriodic(config.flows().reloadSeconds() * 1000L, tick -> vertx.executeBlocking(() -> {
                parts.watcher().scan();
                return null;
              }, false).onFailure(e -> LOG.error("flow.scan failed: {}", e.toString())));
          WarmUp.run(vertx, parts, callbackListeners, callbackOptions("127.0.0.1", 0))
              .onComplete(warm -> parts.warming().set(false));
          int callbackPort = callbackListeners.get(0).actualPort();
          return new Server(vertx, parts, callbackPort,
              adminListener.get() == null ? callbackPort : adminListener.get().actualPort(), ids,
              List.of(sweeps, reloader, takeover, replayer));
        });
  }

  /** The gauges read from the server's parts: refused callbacks, flows, the breaker, the deadline, readiness. */
  private static void publish(Collaborators parts, Reaper reaper) {
    CallMetrics metrics = parts.metrics();
    metrics.counted("callflow.callbacks.unauthorized", "callbacks refused by callback authentication",
        parts.refused());
    metrics.gauge("callflow.flows.loaded", "flows in service", () -> parts.flows().all().size());
    metrics.breaker(parts.mediaservice()::breakerOpen);
    metrics.gauge("callflow.callbacks.deadline.seconds", "server.callbackDeadlineMillis: a callback not answered by "
        + "then gets the failsafe answer", () -> parts.config().server().callbackDeadlineMillis() / 1000.0);
    metrics.gauge("callflow.ready", "1 while /ready would answer 200 (flows loaded, the session store answered the "
        + "last sweep, warm, not shutting down), else 0", () -> !parts.stopping().get() && !parts.warming().get()
        && !parts.flows().all().isEmpty() && reaper.storeAnswered() ? 1 : 0);
  }

  /** Says so at start when anyone who reaches a port can drive calls or send IVR messages. */
  private static void warnAboutOpenDoors(AppConfig config, KeyFiles keys) {
    if (config.callbackAuth().mode().equals("none")) {
      LOG.warn("callback.auth mode=none: anyone who can reach this port can drive calls; "
          + "set callbackAuth.mode for production");
    }
    AppConfig.IvrMessages messages = config.outbound().ivrMessages();
    if (messages != null && messages.path() != null && keys.ivrMessageKey() == null) {
      LOG.warn("message.auth publicKeyFile=null: IVR messages are accepted with any x-access-token");
    }
  }

  /** The port the callbacks are served on. */
  public int port() {
    return port;
  }

  /** The port of the admin API and /metrics: its own listener's, or the callback port with admin.port -1. */
  public int adminPort() {
    return adminPort;
  }

  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    // Every callback in flight is answered first (undeploying waits for them), and has handed in its record
    // before the outbox is flushed and closed; the session store goes last.
    return Future.all(deploymentIds.stream().map(vertx::undeploy).toList())
        .andThen(done -> {
          parts.mediaservice().close();
          parts.http().close();
          parts.metrics().close();
        })
        .andThen(done -> {
          if (parts.journal() != null) {
            parts.journal().close();
          }
        })
        .compose(undeployed -> parts.reporting().close(EXPORT_DRAIN))
        .eventually(parts.store()::close).mapEmpty();
  }

  /**
   * Graceful shutdown: /ready answers 503 at once so load balancers stop sending; after {@code drain} the server
   * stops accepting connections and finishes the callbacks in flight (bounded), then everything stops.
   */
  public Future<Void> shutdown(Duration drain) {
    parts.stopping().set(true);
    LOG.info("callflow.stopping drainMs={}", drain.toMillis());
    return vertx.timer(Math.max(1, drain.toMillis())).compose(t -> stop())
        .onComplete(done -> LOG.info("callflow.stopped"));
  }
}
