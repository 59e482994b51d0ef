package io.callflow.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.config.AppConfig;
import io.callflow.flow.Flow;
import io.callflow.report.Reporting;
import io.callflow.session.InMemorySessionStore;
import io.callflow.session.Lifetimes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a fresh instance before /ready says 200: synthetic calls ({@link WarmUpCaller}) through the same route
 * table, handlers, driver, engine, answers and HTTP stack as real callbacks, served from the real listener's event
 * loops on a loopback port of their own, with their own in-memory sessions, no metrics scraped, no effects carried
 * out and records only counted. The JIT compiles the code the real callbacks run, so the first real load meets a
 * warm instance instead of one that needs half a minute of full load to get fast. It stops when the JIT has caught
 * up with the synthetic load (see {@link #warmEnough}), or after {@code server.warmupSeconds}.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /** Callers walking calls at once, each on a thread of its own: enough to keep two event loops busy. */
  private static final int CALLERS = 16;
  private static final int MIN_ROUNDS = 4;
  /** Compiler time in one second below which the JIT counts as done with the hot path (a twentieth of a core). */
  private static final long QUIET_COMPILER_MILLIS = 50;
  /** How long the synthetic callers may take to finish the callback they are in once warm. */
  private static final long STOP_SECONDS = 5;

  private final Vertx vertx;
  private final Collaborators parts;
  private final AtomicBoolean done = new AtomicBoolean();
  /** Every synthetic callback answered, published as callflow_warmup_callbacks. */
  private final AtomicLong total = new AtomicLong();
  private long totalBefore;
  private final List<Long> rates = new ArrayList<>();
  /** Milliseconds the JIT compilers worked in each second of the warm-up. */
  private final List<Long> compiling = new ArrayList<>();
  private long compiledBefore = compilerMillis();

  private WarmUp(Vertx vertx, Collaborators parts) {
    this.vertx = vertx;
    this.parts = parts;
  }

  /**
   * Warms for at most {@code server.warmupSeconds} (0: not at all) on a listener with {@code options}, the real
   * listener's but for the address, served from the event loops of the real {@code listeners}; completes when warm,
   * never fails.
   */
  static Future<Void> run(Vertx vertx, Collaborators parts, List<HttpServerVerticle> listeners,
                          HttpServerOptions options) {
    int seconds = parts.config().server().warmupSeconds();
    List<String> numbers = parts.flows().all().stream().map(Flow::numbers).filter(n -> !n.isEmpty())
        .map(n -> n.get(0)).toList();
    if (seconds == 0 || numbers.isEmpty()) {
      return Future.succeededFuture();
    }
    return new WarmUp(vertx, parts).warm(seconds, listeners, options, numbers)
        .recover(e -> {
          LOG.warn("callflow.warmup failed: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> warm(int seconds, List<HttpServerVerticle> listeners, HttpServerOptions options,
                            List<String> numbers) {
    Collaborators synthetic = synthetic();
    parts.metrics().gauge("callflow.warmup.callbacks", "synthetic callbacks answered while warming up before /ready",
        total::get);
    SyntheticLines.holdBack();
    AppConfig.Server server = parts.config().server();
    List<HttpServer> servers = new ArrayList<>();
    return serveOn(listeners, options, synthetic, servers)
        .compose(port -> {
          long began = System.nanoTime();
          Future<Void> stopped = callers(port, server.basePath(), numbers);
          Promise<Void> warm = Promise.promise();
          vertx.setPeriodic(1000, timer -> {
            long elapsed = System.nanoTime() - began;
            if (warmEnough() || elapsed >= Duration.ofSeconds(seconds).toNanos()) {
              vertx.cancelTimer(timer);
              done.set(true);
              LOG.info("callflow.warm seconds={} callbacks/s per second={} compiler ms per second={}",
                  Math.round((System.nanoTime() - began) / 1e9), rates, compiling);
              warm.complete();
            }
          });
          // The callers finish the callback they are in before the listeners close: a connection closed under an
          // answer being written takes branches of the write path that real load then throws away again.
          return warm.future().compose(v -> stopped.timeout(STOP_SECONDS, TimeUnit.SECONDS));
        })
        .eventually(() -> Future.join(servers.stream().map(HttpServer::close).toList()));
  }

  /** Starts the synthetic callers; the result completes once the last of them has stopped. */
  private Future<Void> callers(int port, String base, List<String> numbers) {
    Promise<Void> stopped = Promise.promise();
    AtomicInteger walking = new AtomicInteger(CALLERS);
    for (int i = 0; i < CALLERS; i++) {
      WarmUpCaller caller = new WarmUpCaller(port, base, numbers, done, total);
      Thread thread = new Thread(() -> {
        caller.run();
        if (walking.decrementAndGet() == 0) {
          stopped.complete();
        }
      }, "callflow-warmup-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    return stopped.future();
  }

  /**
   * The synthetic route table served from each real listener's event loop, all on one random loopback port (Vert.x
   * binds a negative port once, at random, and shares it); completes with that port, {@code servers} holding what
   * to close.
   */
  private static Future<Integer> serveOn(List<HttpServerVerticle> listeners, HttpServerOptions options,
                                         Collaborators synthetic, List<HttpServer> servers) {
    HttpServerOptions shared = new HttpServerOptions(options).setPort(-1);
    return Future.all(listeners.stream().map(listener -> listener.alsoServe(shared, v -> Routes.callbacks(v, synthetic))
            .onSuccess(server -> {
              synchronized (servers) {
                servers.add(server);
              }
            })).toList())
        .map(all -> servers.get(0).actualPort());
  }

  /**
   * Warm once the JIT has caught up with the synthetic load: two seconds in a row in which the compilers worked
   * less than {@value #QUIET_COMPILER_MILLIS} ms, after a few rounds. Throughput alone misleads on two cores: it
   * levels off for seconds while the compiler, starved by the load, still has the hot path queued.
   */
  private boolean warmEnough() {
    long answered = total.get();
    rates.add(answered - totalBefore);
    totalBefore = answered;
    long compiled = compilerMillis();
    if (compiled < 0) {
      return false;  // no JIT, or one that does not tell: warm for server.warmupSeconds
    }
    compiling.add(compiled - compiledBefore);
    compiledBefore = compiled;
    int n = compiling.size();
    return n >= MIN_ROUNDS && compiling.get(n - 1) < QUIET_COMPILER_MILLIS
        && compiling.get(n - 2) < QUIET_COMPILER_MILLIS;
  }

  /** Milliseconds the JIT compilers have worked since the JVM started; -1 when the JVM does not say. */
  private static long compilerMillis() {
    java.lang.management.CompilationMXBean compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
    return compiler != null && compiler.isCompilationTimeMonitoringSupported()
        ? compiler.getTotalCompilationTime() : -1;
  }

  /** The real parts, but sessions of their own, effects dropped, records only counted, meters never scraped. */
  private Collaborators synthetic() {
    AppConfig config = parts.config();
    AppConfig.CallbackAuth open = new AppConfig.CallbackAuth("none", List.of(), null, null, 0);
    AppConfig own = new AppConfig(config.server(), config.flows(), config.tts(), config.mediaservice(),
        config.outbound(), config.http(), config.session(), config.failsafe(), config.admin(), open, config.report(),
        config.log());
    InMemorySessionStore store = new InMemorySessionStore(new Lifetimes(Duration.ofMinutes(1), Duration.ofSeconds(1)));
    CallMetrics metrics = CallMetrics.prometheus();
    // The real driver's answers, rendered once per flow version, and reporting of the real kind: a call site that
    // meets a kind or a branch the warm-up never showed it is compiled again under real load.
    CallDriver driver = new CallDriver(parts.flows(), store, parts.driver().answers(), config.failsafe().message(),
        parts.clock(), Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics, CallDriver.Effects.NONE,
        Reporting.countingOnly(metrics.registry()));
    return new Collaborators(own, parts.clock(), parts.flows(), metrics, store, parts.watcher(), parts.keys(),
        parts.reporting(), parts.mediaservice(), parts.http(), driver, parts.outbound(), parts.runner(), null,
        new AtomicLong(), new AtomicBoolean(), parts.history(), parts.logins(), new AtomicBoolean());
  }

  /**
   * Keeps the synthetic calls' own lines (logger callflow.call, naming a {@value WarmUpCaller#CALL_PREFIX} callId)
   * out of the log, without changing the logger's level: the real calls' lines then take the code path the warm-up
   * compiled. A level raised and lowered again would leave every compiled step that logs with a branch it never saw,
   * thrown away on the first real call. Real calls served while warming are logged as always. callflow's console
   * appender asks its filters on its writer thread (see BatchingConsoleAppender), so this costs no event loop.
   */
  private static final class SyntheticLines extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
    /** One filter for the process, attached once to each appender: warm-ups come and go, filters cannot. */
    private static final SyntheticLines FILTER = new SyntheticLines();

    /** Holds back the synthetic calls' lines at every appender of the root logger. */
    static void holdBack() {
      synchronized (FILTER) {
        FILTER.start();
        ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.iteratorForAppenders().forEachRemaining(appender -> {
          if (!appender.getCopyOfAttachedFiltersList().contains(FILTER)) {
            appender.addFilter(FILTER);
          }
        });
      }
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      return "callflow.call".equals(event.getLoggerName())
          && event.getFormattedMessage().contains("callId=" + WarmUpCaller.CALL_PREFIX)
          ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
  }
}
