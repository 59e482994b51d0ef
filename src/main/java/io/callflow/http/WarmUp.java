package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.config.AppConfig;
import io.callflow.flow.Flow;
import io.callflow.mediaservice.Answers;
import io.callflow.report.ActivitySink;
import io.callflow.session.InMemorySessionStore;
import io.callflow.session.Lifetimes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a fresh instance before /ready says 200: synthetic calls through the same route table, handlers, driver,
 * engine, answers and HTTP stack as real callbacks, served on a loopback port of their own with their own
 * in-memory sessions, no metrics scraped, no effects carried out and nothing reported. The JIT compiles the code
 * the real callbacks run, so the first real load meets a warm instance instead of one that needs half a minute of
 * full load to get fast. It stops when, after half of {@code server.warmupSeconds}, the synthetic throughput has
 * stopped rising (three one-second rounds within 10 % of the best), or after {@code server.warmupSeconds}.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");
  /** Callers walking calls at once: enough to keep two event loops busy. */
  private static final int CALLERS = 16;
  /** What the synthetic callers press, one per getIvrCommand: menus, collects and invalid input all get used. */
  private static final List<String> KEYS = List.of("", "1", "2", "3", "123456#", "9", "*");
  private static final int MAX_COMMANDS = 6;
  private static final int MIN_ROUNDS = 4;

  private final Vertx vertx;
  private final Collaborators parts;
  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicLong callbacks = new AtomicLong();
  /** Every synthetic callback answered, published as callflow_warmup_callbacks. */
  private final AtomicLong total = new AtomicLong();
  private final List<Long> rates = new ArrayList<>();

  private WarmUp(Vertx vertx, Collaborators parts) {
    this.vertx = vertx;
    this.parts = parts;
  }

  /** Warms for at most {@code server.warmupSeconds} (0: not at all); completes when warm, never fails. */
  static Future<Void> run(Vertx vertx, Collaborators parts, int instances) {
    int seconds = parts.config().server().warmupSeconds();
    List<String> numbers = parts.flows().all().stream().map(Flow::numbers).filter(n -> !n.isEmpty())
        .map(n -> n.get(0)).toList();
    if (seconds == 0 || numbers.isEmpty()) {
      return Future.succeededFuture();
    }
    return new WarmUp(vertx, parts).warm(seconds, instances, numbers)
        .recover(e -> {
          LOG.warn("callflow.warmup failed: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> warm(int seconds, int instances, List<String> numbers) {
    Collaborators synthetic = synthetic();
    parts.metrics().gauge("callflow.warmup.callbacks", "synthetic callbacks answered while warming up before /ready",
        total::get);
    // Thousands of synthetic calls would bury the log; real ones are not served yet (/ready says 503).
    ch.qos.logback.classic.Logger calls = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("callflow.call");
    ch.qos.logback.classic.Level level = calls.getLevel();
    calls.setLevel(ch.qos.logback.classic.Level.WARN);
    AppConfig.Server server = parts.config().server();
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    List<HttpServerVerticle> listeners = new ArrayList<>();
    return vertx.deployVerticle(() -> {
          HttpServerVerticle verticle = new HttpServerVerticle(options, v -> Routes.callbacks(v, synthetic));
          synchronized (listeners) {
            listeners.add(verticle);
          }
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> {
          HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
              .setDefaultHost("127.0.0.1").setDefaultPort(listeners.get(0).actualPort()),
              new PoolOptions().setHttp1MaxSize(CALLERS));
          long began = System.nanoTime();
          for (int i = 0; i < CALLERS; i++) {
            walk(client, server.basePath(), numbers);
          }
          Promise<Void> warm = Promise.promise();
          vertx.setPeriodic(1000, timer -> {
            long elapsed = System.nanoTime() - began;
            if (warmEnough() && elapsed >= Duration.ofSeconds(seconds).toNanos() / 2
                || elapsed >= Duration.ofSeconds(seconds).toNanos()) {
              vertx.cancelTimer(timer);
              done.set(true);
              LOG.info("callflow.warm seconds={} callbacks/s per second={}",
                  Math.round((System.nanoTime() - began) / 1e9), rates);
              warm.complete();
            }
          });
          return warm.future().eventually(client::close).eventually(() -> vertx.undeploy(id));
        })
        .andThen(finished -> calls.setLevel(level));
  }

  /** Three rounds in a row within 10 % of the best round so far, after a few rounds. */
  private boolean warmEnough() {
    rates.add(callbacks.getAndSet(0));
    if (rates.size() < MIN_ROUNDS) {
      return false;
    }
    long best = rates.stream().mapToLong(Long::longValue).max().orElse(0);
    return best > 0 && rates.subList(rates.size() - 3, rates.size()).stream().allMatch(r -> r >= 0.9 * best);
  }

  /** The real parts, but sessions of their own, effects and records dropped, meters never scraped. */
  private Collaborators synthetic() {
    AppConfig config = parts.config();
    AppConfig.CallbackAuth open = new AppConfig.CallbackAuth("none", List.of(), null, null, 0);
    AppConfig own = new AppConfig(config.server(), config.flows(), config.tts(), config.mediaservice(),
        config.outbound(), config.http(), config.session(), config.failsafe(), config.admin(), open, config.report(),
        config.log());
    InMemorySessionStore store = new InMemorySessionStore(new Lifetimes(Duration.ofMinutes(1), Duration.ofSeconds(1)));
    CallMetrics metrics = CallMetrics.prometheus();
    CallDriver driver = new CallDriver(parts.flows(), store, new Answers(config.tts()), config.failsafe().message(),
        parts.clock(), Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics, CallDriver.Effects.NONE,
        ActivitySink.NONE);
    return new Collaborators(own, parts.clock(), parts.flows(), metrics, store, parts.watcher(), parts.keys(),
        parts.reporting(), parts.mediaservice(), parts.http(), driver, parts.outbound(), parts.runner(), null,
        new AtomicLong(), new AtomicBoolean(), parts.history(), parts.logins(), new AtomicBoolean());
  }

  /** One synthetic caller: calls one after another until warm. */
  private void walk(HttpClient client, String base, List<String> numbers) {
    if (done.get()) {
      return;
    }
    String sessionId = UUID.randomUUID().toString();
    String number = numbers.get(ThreadLocalRandom.current().nextInt(numbers.size()));
    post(client, base + "/newCall", new JsonObject().put("sessionId", sessionId).put("callingParty", "+46700000000")
        .put("calledParty", number).put("xHeaders", new JsonObject()).put("pHeaders", new JsonObject()))
        .compose(answer -> commands(client, base, sessionId, 0))
        .compose(v -> post(client, base + "/callEvent", new JsonObject().put("sessionId", sessionId)
            .put("event", "callingPartyDrop").put("participantId", "p").put("remoteParticipantId", "ivr")))
        .compose(v -> post(client, base + "/sessionCompleted", new JsonObject().put("sessionId", sessionId)
            .put("sessionDuration", "10").put("reason", "caller-hangup")))
        .onComplete(walked -> {
          if (walked.failed() && !done.get()) {
            // Something is wrong with the synthetic calls, not with warming: stop rather than spin.
            LOG.warn("callflow.warmup stopped: {}", walked.cause().toString());
            done.set(true);
            return;
          }
          walk(client, base, numbers);
        });
  }

  /** getIvrCommand with random keys until the answer hangs up or drops, at most {@value #MAX_COMMANDS}. */
  private Future<JsonObject> commands(HttpClient client, String base, String sessionId, int sent) {
    String keys = KEYS.get(ThreadLocalRandom.current().nextInt(KEYS.size()));
    JsonObject request = new JsonObject().put("sessionId", sessionId).put("replyId", UUID.randomUUID().toString());
    if (sent > 0 && !keys.isEmpty()) {
      request.put("dtmfBuffer", keys).put("dtmfParams", new JsonObject().put("dtmfMatch", keys.replace("#", ""))
          .put("reason", keys.endsWith("#") ? "terminationKey" : "maxDigits"));
    }
    return post(client, base + "/getIvrCommand", request).compose(answer -> {
      boolean over = Boolean.TRUE.equals(answer.getValue("hangup")) || answer.containsKey("action");
      return over || sent + 1 >= MAX_COMMANDS ? Future.succeededFuture(answer)
          : commands(client, base, sessionId, sent + 1);
    });
  }

  private Future<JsonObject> post(HttpClient client, String path, JsonObject body) {
    if (done.get()) {
      return Future.failedFuture("warm");  // the client is closing: this synthetic call ends here
    }
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body.toBuffer()))
        .compose(response -> response.body())
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
}
