package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.call.EffectRunner;
import io.callflow.call.NotificationJournal;
import io.callflow.call.Takeover;
import io.callflow.call.FlowVersions;
import io.callflow.call.FlowWatcher;
import io.callflow.call.HttpStateClient;
import io.callflow.call.OutboundCalls;
import io.callflow.config.AppConfig;
import io.callflow.flow.Event;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.mediaservice.ApiToken;
import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.report.ActivityRecords;
import io.callflow.report.Reporting;
import io.callflow.flow.Position;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.callflow.session.Stores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
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
  private static final long OVERDUE_GRACE_MILLIS = 5_000;
  /** How often an instance renews its lease and looks for work of dead instances (leases last three times as long). */
  private static final Duration TAKEOVER_INTERVAL = Duration.ofSeconds(1);
  /** How long stopping gives exporters to send what is waiting; the rest is sent after the next start. */
  private static final Duration EXPORT_DRAIN = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final int port;
  private final List<String> deploymentIds;
  private final long reaper;
  private final long reloader;
  private final AtomicLong refused;
  private final AtomicBoolean stopping;
  private final List<Runnable> closers;
  private final Reporting reporting;
  private final SessionStore store;

  private Server(Vertx vertx, int port, List<String> deploymentIds, long reaper, long reloader, AtomicLong refused,
                 AtomicBoolean stopping, List<Runnable> closers, Reporting reporting, SessionStore store) {
    this.vertx = vertx;
    this.port = port;
    this.deploymentIds = deploymentIds;
    this.reaper = reaper;
    this.reloader = reloader;
    this.refused = refused;
    this.stopping = stopping;
    this.closers = closers;
    this.reporting = reporting;
    this.store = store;
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
    Stores stores = Stores.open(vertx, config.session());
    FlowWatcher watcher = new FlowWatcher(Path.of(config.flows().dir()), flows, metrics, stores.flowSources());
    return vertx.executeBlocking(() -> {
          KeyFiles keys = KeyFiles.read(config);
          watcher.scan();
          if (config.flows().defaultFlow() != null && flows.current(config.flows().defaultFlow()).isEmpty()) {
            LOG.warn("flow.missing defaultFlow={} is not loaded; numbers no flow claims are refused",
                config.flows().defaultFlow());
          }
          return keys;
        })
        .compose(keys -> Reporting.start(vertx, config.report(), clock, metrics.registry())
            // Wiring loads most of callflow's classes (hundreds of milliseconds on a cold JVM): on a worker.
            .compose(reporting -> vertx.executeBlocking(() -> deploy(vertx, config, clock, flows, watcher, keys,
                metrics, reporting, stores), false))
            .compose(deployed -> deployed));
  }

  private static Future<Server> deploy(Vertx vertx, AppConfig config, Clock clock, FlowRegistry flows,
                                       FlowWatcher watcher, KeyFiles keys, CallMetrics metrics, Reporting reporting,
                                       Stores stores) {
    if (config.callbackAuth().mode().equals("none")) {
      LOG.warn("callback.auth mode=none: anyone who can reach this port can drive calls; "
          + "set callbackAuth.mode for production");
    }
    AtomicBoolean stopping = new AtomicBoolean();
    AppConfig.Sessions sessions = config.session();
    SessionStore store = stores.sessions();
    AtomicLong refused = new AtomicLong();
    MediaserviceClient mediaservice = new MediaserviceClient(vertx, config.mediaservice(),
        ApiToken.of(vertx, config.mediaservice(), keys.apiPrivateKey(), clock), metrics::api);
    HttpStateClient http = new HttpStateClient(vertx, config.http());
    EffectRunner runner = new EffectRunner(vertx, mediaservice, http, clock);
    CallDriver driver = new CallDriver(new FlowVersions(flows, stores.flowSources()), store, new Answers(config.tts()),
        config.failsafe().message(), clock, Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics,
        runner, reporting);
    OutboundCalls outbound = new OutboundCalls(driver, runner, config.outbound(), clock, metrics);
    // Sessions in Redis: work that a dead instance ordered is carried out by a live one (leases of a few seconds).
    Takeover takeover = new Takeover(vertx, store, driver, runner, reporting, metrics).start(TAKEOVER_INTERVAL);
    NotificationJournal journal = null;
    if (store.takesOver()) {
      // Notifications that arrive while Redis is away are kept on local disk and applied when it is back.
      try {
        journal = NotificationJournal.open(vertx, Path.of(config.report().outboxDir(), "_notifications"))
            .start(driver, TAKEOVER_INTERVAL);
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
      driver.keepNotificationsIn(journal);
    }
    Runnable closeJournal = journal == null ? () -> { } : journal::stop;
    AppConfig.IvrMessages messages = config.outbound().ivrMessages();
    if (messages != null && messages.path() != null && keys.ivrMessageKey() == null) {
      LOG.warn("message.auth publicKeyFile=null: IVR messages are accepted with any x-access-token");
    }
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
              v -> Routes.create(v, config, flows, driver, adminApart ? null : admin(v, config, flows, watcher, store,
                      driver, outbound, clock),
                  new CallbackAuth(v, config.callbackAuth(), keys.callbackKeys(), refused),
                  new IvrMessageHandler(v, config.outbound(), keys.ivrMessageKey(), flows, outbound),
                  new HealthHandler(flows, store, stopping), metrics));
          first.compareAndSet(null, verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> !adminApart ? Future.succeededFuture(List.of(id))
            : vertx.deployVerticle(new HttpServerVerticle(new HttpServerOptions().setHost(config.admin().host())
                .setPort(config.admin().port()), v -> Routes.admin(v, config, driver, admin(v, config, flows, watcher,
                store, driver, outbound, clock)))).map(adminId -> List.of(id, adminId)))
        .map(ids -> {
          // In memory the sweep walks every session, on a worker; in Redis it sends commands, and the instance
          // whose claim wins an expired call reports it.
          long reaper = vertx.setPeriodic(sessions.reapIntervalSeconds() * 1000L,
              tick -> sweep(vertx, store, clock, metrics, live)
                  .onSuccess(swept -> {
                    swept.reaped().forEach(s -> {
                      LOG.info("call.ended callId={} flow={} state={} reason=expired", s.callId(), s.flowId(),
                          s.at().state());
                      metrics.ended(s.flowId(), "expired");
                      reporting.ended(ActivityRecords.build(flows.pinned(s.flowId(), s.flowVersion()).orElse(null),
                          s.end("expired"), clock.instant()));
                    });
                    overdue(swept.live(), driver, clock);
                  })
                  .onFailure(e -> LOG.error("session.reap failed: {}", e.toString(), e)));
          long reloader = config.flows().reloadSeconds() == 0 ? -1
              : vertx.setPeriodic(config.flows().reloadSeconds() * 1000L, tick -> vertx.executeBlocking(() -> {
                watcher.scan();
                return null;
              }, false).onFailure(e -> LOG.error("flow.scan failed: {}", e.toString())));
          return new Server(vertx, first.get().actualPort(), ids, reaper, reloader, refused, stopping,
              List.of(takeover::stop, closeJournal, mediaservice::close, http::close), reporting, store);
        });
  }

  /**
   * One reaper sweep: removes expired sessions, then lists the live calls (for the gauge and the maxDuration
   * check). Sessions in this process are walked inside {@code reap} and {@code live} themselves, so both are called
   * on a worker and no event loop stalls (Future.await() is refused on a worker in Vert.x 5, hence compose).
   */
  private static Future<Sweep> sweep(Vertx vertx, SessionStore store, Clock clock, CallMetrics metrics,
                                     AtomicLong live) {
    long began = System.nanoTime();
    return vertx.executeBlocking(() -> store.reap(clock.instant()), false).compose(reaping -> reaping)
        .andThen(done -> metrics.store("reap", System.nanoTime() - began, done.succeeded()))
        .compose(reaped -> vertx.executeBlocking(store::live, false).compose(counting -> counting)
            .map(sessions -> {
              live.set(sessions.size());
              return new Sweep(reaped, sessions);
            }));
  }

  /** What a reaper sweep found: the calls it ended as expired, and the calls still live. */
  private record Sweep(List<Session> reaped, List<Session> live) {
  }

  /**
   * Calls past their maxDuration whose timer did not fire (it ran on an instance that has stopped): hung up now.
   * The grace keeps the sweep from racing the timers that are about to fire.
   */
  private static void overdue(List<Session> live, CallDriver driver, Clock clock) {
    long due = clock.millis() - OVERDUE_GRACE_MILLIS;
    live.stream().filter(s -> s.deadlineMillis() > 0 && s.deadlineMillis() < due
            && s.at().phase() != Position.Phase.HANGING_UP)
        .forEach(s -> driver.apply(s.callId(), new Event.HangupRequested("maxDuration")));
  }

  private static Routes.Admin admin(Vertx vertx, AppConfig config, FlowRegistry flows, FlowWatcher watcher,
                                    SessionStore store, CallDriver driver, OutboundCalls outbound, Clock clock) {
    return new Routes.Admin(new FlowApiHandler(vertx, flows, watcher, store),
        new CallApiHandler(flows, store, driver, outbound, config.outbound(), clock));
  }

  public int port() {
    return port;
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reaper);
    vertx.cancelTimer(reloader);
    // Every callback in flight is answered first (undeploying waits for them), and has handed in its record
    // before the outbox is flushed and closed; the session store goes last.
    return Future.all(deploymentIds.stream().map(vertx::undeploy).toList())
        .andThen(done -> closers.forEach(Runnable::run))
        .compose(undeployed -> reporting.close(EXPORT_DRAIN))
        .eventually(store::close).mapEmpty();
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
