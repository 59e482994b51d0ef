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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a fresh instance before /ready says 200: synthetic calls through the same route table, handlers, driver,
 * engine, answers and HTTP stack as real callbacks, served on a loopback port of their own with their own
 * in-memory sessions, no metrics scraped, no effects carried out and nothing reported. The JIT compiles the code
 * the real callbacks run, so the first real load meets a warm instance instead of one that needs half a minute of
 * full load to get fast. It stops when the JIT has caught up with the synthetic load (see {@link #warmEnough}), or
 * after {@code server.warmupSeconds}.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /** Callers walking calls at once: enough to keep two event loops busy. */
  private static final int CALLERS = 16;
  /** What the synthetic callers press, one per getIvrCommand: menus, collects and invalid input all get used. */
  private static final List<String> KEYS = List.of("", "1", "2", "3", "123456#", "9", "*");
  private static final int MAX_COMMANDS = 6;
  private static final int MIN_ROUNDS = 4;
  /** Compiler time in one second below which the JIT counts as done with the hot path (a twentieth of a core). */
  private static final long QUIET_COMPILER_MILLIS = 50;
  /** The vendor's replyIds are JWTs of about 260 characters: the start of one, a UUID makes each unique. */
  private static final String REPLY_ID = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      + "eyJzaXRlIjoid2FybSIsInB1cnBvc2UiOiJhIHN5bnRoZXRpYyBjYWxsIGJlZm9yZSAvcmVhZHkiLCJwYWRkaW5nIjoi".repeat(2)
      + "c2lnbmF0dXJlLXBsYWNlaG9sZGVyLXNpZ25hdHVyZS1wbGFjZWhvbGRlcg.";
  /** About one synthetic call in this many connects afresh (see {@link #walk}). */
  private static final int RECONNECT_EVERY = 10;
  /** How long the synthetic callers may take to finish the callback they are in once warm. */
  private static final long STOP_SECONDS = 5;
  /** Effects are dropped while warming: nothing is ever sent to this address. */
  private static final String SITE = "http://127.0.0.1:9";

  private final Vertx vertx;
  private final Collaborators parts;
  private final AtomicBoolean done = new AtomicBoolean();
  /** Synthetic callers still walking; once done, the last to stop completes {@link #stopped}. */
  private final AtomicInteger walking = new AtomicInteger(CALLERS);
  private final Promise<Void> stopped = Promise.promise();
  private final AtomicLong callbacks = new AtomicLong();
  /** Every synthetic callback answered, published as callflow_warmup_callbacks. */
  private final AtomicLong total = new AtomicLong();
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
    SyntheticLines quiet = SyntheticLines.hold();
    AppConfig.Server server = parts.config().server();
    List<HttpServer> servers = new ArrayList<>();
    return serveOn(listeners, options, synthetic, servers)
        .compose(port -> {
          HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
              .setDefaultHost("127.0.0.1").setDefaultPort(port),
              new PoolOptions().setHttp1MaxSize(CALLERS));
          long began = System.nanoTime();
          for (int i = 0; i < CALLERS; i++) {
            walk(client, server.basePath(), numbers);
          }
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
          // The callers finish the callback they are in before the connections close: a connection closed under an
          // answer being written takes branches of the write path that real load then throws away again.
          return warm.future().compose(v -> stopped.future().timeout(STOP_SECONDS, TimeUnit.SECONDS))
              .eventually(client::close);
        })
        .eventually(() -> Future.join(servers.stream().map(HttpServer::close).toList()))
        .andThen(finished -> quiet.release());
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
    rates.add(callbacks.getAndSet(0));
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
    CallDriver driver = new CallDriver(parts.flows(), store, parts.driver().answers(), config.failsafe().message(), parts.clock(), Duration.ofMillis(config.server().callbackDeadlineMillis()),
        metrics, CallDriver.Effects.NONE, Reporting.countingOnly(metrics.registry()));
    return new Collaborators(own, parts.clock(), parts.flows(), metrics, store, parts.watcher(), parts.keys(),
        parts.reporting(), parts.mediaservice(), parts.http(), driver, parts.outbound(), parts.runner(), null,
        new AtomicLong(), new AtomicBoolean(), parts.history(), parts.logins(), new AtomicBoolean());
  }

  /**
   * One synthetic caller: calls one after another until warm, each callback shaped like the vendor's (seed 004: every
   * field of its samples, a JWT-long replyId, the sessionReferenceId echoed), so that what gets compiled is what a
   * real mediaservice will send. Code warmed on thinner payloads is compiled for them, and thrown away on the first
   * real ones. About one call in {@value #RECONNECT_EVERY} ends its connection, either side closing it, so that
   * accepting and closing connections are warm too: a balancer or the mediaservice connecting afresh or hanging up
   * would otherwise throw away the compiled code of the whole read path. Not every call: each closed connection
   * waits a minute in TIME_WAIT.
   */
  private void walk(HttpClient client, String base, List<String> numbers) {
    if (done.get()) {
      if (walking.decrementAndGet() == 0) {
        stopped.complete();
      }
      return;
    }
    String sessionId = UUID.randomUUID().toString();
    String number = numbers.get(ThreadLocalRandom.current().nextInt(numbers.size()));
    post(client, base + "/newCall", new JsonObject().put("sessionId", sessionId)
        .put("sipCallId", sessionId + "@10.0.0.2").put("ivrServer", "127.0.0.1").put("callingPartyPrivacy", "public")
        .put("callingParty", "+46700000000").put("displayName", "Warm Up").put("fromUser", "+46700000000")
        .put("xHeaders", new JsonObject())
        .put("pHeaders", new JsonObject()).put("copyHeaders", new JsonArray())
        .put("calledParty", number).put("paiNumber", "+46700000000").put("srcAddr", "10.0.0.2").put("siteId", "warm")
        .put("siteBaseUrl", SITE))
        .compose(answer -> {
          Object reference = answer.getValue("sessionReferenceId");
          return commands(client, base, sessionId, reference, 0)
              .compose(v -> post(client, base + "/callEvent", new JsonObject().put("connectionId", sessionId)
                  .put("event", "callingPartyDrop").put("ivrServer", "127.0.0.1").put("participantId", "p")
                  .put("remoteParticipantId", "ivr").put("sessionId", sessionId).put("user", "+46700000000")
                  .put("sessionReferenceId", reference).put("siteId", "warm").put("siteBaseUrl", SITE)))
              .compose(v -> post(client, base + "/sessionCompleted", new JsonObject().put("sessionId", sessionId)
                  .put("sessionDuration", 10).put("reason", "caller-hangup").put("sessionReferenceId", reference)
                  .put("ivrServer", "127.0.0.1").put("traceId", UUID.randomUUID().toString())
                  .put("httpTransactionId", UUID.randomUUID().toString()).put("siteId", "warm")
                  .put("siteBaseUrl", SITE), leaving()));
        })
        .onComplete(walked -> {
          if (walked.failed() && !done.get()) {
            // Something is wrong with the synthetic calls, not with warming: stop rather than spin.
            LOG.warn("callflow.warmup stopped: {}", walked.cause().toString());
            done.set(true);
          }
          walk(client, base, numbers);
        });
  }

  /** getIvrCommand with random keys until the answer hangs up or drops, at most {@value #MAX_COMMANDS}. */
  private Future<JsonObject> commands(HttpClient client, String base, String sessionId, Object reference, int sent) {
    String keys = KEYS.get(ThreadLocalRandom.current().nextInt(KEYS.size()));
    JsonObject request = new JsonObject().put("sessionId", sessionId).put("sessionReferenceId", reference)
        .put("ivrServer", "127.0.0.1").put("replyId", REPLY_ID + UUID.randomUUID()).put("siteId", "warm")
        .put("siteBaseUrl", SITE);
    if (sent > 0 && !keys.isEmpty()) {
      request.put("dtmfBuffer", keys).put("dtmfParams", new JsonObject().put("dtmfMatch", keys.replace("#", ""))
          .put("reason", keys.endsWith("#") ? "terminationKey" : "maxDigits"));
    }
    return post(client, base + "/getIvrCommand", request).compose(answer -> {
      boolean over = Boolean.TRUE.equals(answer.getValue("hangup")) || answer.containsKey("action");
      return over || sent + 1 >= MAX_COMMANDS ? Future.succeededFuture(answer)
          : commands(client, base, sessionId, reference, sent + 1);
    });
  }

  private Future<JsonObject> post(HttpClient client, String path, JsonObject body) {
    return post(client, path, body, Leaving.KEEP);
  }

  /** How a synthetic call leaves its connection: kept for the next call, or closed by either side. */
  private enum Leaving { KEEP, SERVER_CLOSES, CLIENT_CLOSES }

  private static Leaving leaving() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return random.nextInt(RECONNECT_EVERY) != 0 ? Leaving.KEEP
        : random.nextBoolean() ? Leaving.SERVER_CLOSES : Leaving.CLIENT_CLOSES;
  }

  /** The connection closes after the answer unless {@code leaving} keeps it, so the next call connects afresh. */
  private Future<JsonObject> post(HttpClient client, String path, JsonObject body, Leaving leaving) {
    if (done.get()) {
      return Future.failedFuture("warm");  // the client is closing: this synthetic call ends here
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Content-Type", "application/json");
    if (leaving == Leaving.SERVER_CLOSES) {
      options.putHeader("Connection", "close");
    }
    return client.request(options)
        .compose(request -> request.send(body.toBuffer()))
        .compose(response -> response.body().andThen(answered -> {
          if (leaving == Leaving.CLIENT_CLOSES) {
            response.request().connection().close();
          }
        }))
        .map(answer -> {
          callbacks.incrementAndGet();
          total.incrementAndGet();
          return parse(answer);
        });
  }

  private static JsonObject parse(Buffer answer) {
    try {
      return answer.toJsonObject();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /**
   * Keeps the synthetic calls' own lines (logger callflow.call) out of the log while warming, without changing the
   * logger's level: the real calls' lines then take the code path the warm-up compiled. A level raised and lowered
   * again would leave every compiled step that logs with a branch it never saw, thrown away on the first real call.
   * Lines are held back by when they were logged, not by whether a warm-up runs when the filter decides: callflow's
   * console appender decides on its writer thread, a little later (see BatchingConsoleAppender).
   */
  private static final class SyntheticLines extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
    /** One filter for the process, attached once to each appender: warm-ups come and go, filters cannot. */
    private static final SyntheticLines FILTER = new SyntheticLines();
    private int holders;
    /** Lines logged from {@code heldFrom} to {@code heldUntil} (epoch milliseconds, inclusive) are held back. */
    private volatile long heldFrom = Long.MAX_VALUE;
    private volatile long heldUntil = Long.MIN_VALUE;

    /** Holds back callflow.call lines at every appender of the root logger until {@link #release}. */
    static SyntheticLines hold() {
      synchronized (FILTER) {
        FILTER.start();
        ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.iteratorForAppenders().forEachRemaining(appender -> {
          if (!appender.getCopyOfAttachedFiltersList().contains(FILTER)) {
            appender.addFilter(FILTER);
          }
        });
        if (FILTER.holders++ == 0) {
          FILTER.heldFrom = System.currentTimeMillis();
          FILTER.heldUntil = Long.MAX_VALUE;
        }
        return FILTER;
      }
    }

    void release() {
      synchronized (FILTER) {
        if (--holders == 0) {
          heldUntil = System.currentTimeMillis();
        }
      }
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      long logged = event.getTimeStamp();
      return logged >= heldFrom && logged <= heldUntil && "callflow.call".equals(event.getLoggerName())
          ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
  }
}
