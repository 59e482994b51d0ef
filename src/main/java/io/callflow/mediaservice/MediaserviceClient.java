package io.callflow.mediaservice;

import io.callflow.config.AppConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mediaservice REST API, one method per operation, on one WebClient: each request has a timeout and a bearer
 * token, goes to the call's siteBaseUrl when it has one, passes a circuit breaker, and is retried with jittered
 * backoff only when repeating it is harmless. Every outcome is counted; every failure is a
 * {@link MediaserviceException}.
 */
public final class MediaserviceClient {

  /** Tells the outcome of every request: operation, "ok" or why not, and how long it took. */
  public interface Outcomes {
    void record(String operation, String outcome, long nanos);
  }

  /** The body of placeivrcall. */
  public record PlaceCall(String destAddr, String sipFrom, String displayName, double maxRingTime,
                          CallReference sessionReferenceId) {
  }

  /** Every operation this client sends, so that each one's series can exist before its first request. */
  public static final java.util.List<String> OPERATIONS = java.util.List.of("placeivrcall", "interruptivrcommand",
      "startrecording", "stoprecording", "hangupparticipant");

  /** The outcome of a request the open breaker refused without sending it. */
  public static final String CIRCUIT_OPEN = "circuitOpen";

  private static final Logger LOG = LoggerFactory.getLogger("callflow.api");
  private static final long BACKOFF_MILLIS = 100;
  static final int FAILURES_TO_OPEN = 20;

  private final Vertx vertx;
  private final WebClient client;
  private final AppConfig.Mediaservice config;
  private final ApiToken token;
  private final CircuitBreaker breaker;
  private final Outcomes outcomes;

  public MediaserviceClient(Vertx vertx, AppConfig.Mediaservice config, ApiToken token, Outcomes outcomes) {
    this.vertx = vertx;
    this.config = config;
    this.token = token;
    this.outcomes = outcomes;
    // Enough connections for hundreds of requests a second at half a second each; a bounded queue beyond them, so
    // that when the mediaservice stalls requests fail fast instead of piling up in memory.
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(config.timeoutMillis())
        .setKeepAlive(true).setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(5000));
    // Twenty failures within five seconds open it for ten: a dead mediaservice costs one fast failure per request,
    // while the odd lost connection among hundreds of requests a second does not stop them all.
    this.breaker = CircuitBreaker.create("mediaservice", vertx, new CircuitBreakerOptions()
        .setMaxFailures(FAILURES_TO_OPEN).setFailuresRollingWindow(5_000).setTimeout(-1).setResetTimeout(10_000));
  }

  /** Starts an outbound call; never repeated (a repeat could ring the callee twice). */
  public Future<Void> placeIvrCall(PlaceCall call) {
    JsonObject body = JsonObject.mapFrom(call);
    body.fieldNames().removeIf(name -> body.getValue(name) == null);
    return send("placeivrcall", null, body, false);
  }

  /** Stops the command started by the getIvrCommand with {@code replyId}; the IVR asks for the next at once. */
  public Future<Void> interrupt(String siteBaseUrl, String sessionId, String replyId) {
    return send("interruptivrcommand", siteBaseUrl, new JsonObject().put("replyId", replyId)
        .put("sessionId", sessionId), true);
  }

  /** Not repeated: a second start on the same connection could restart the file. */
  public Future<Void> startRecording(String siteBaseUrl, String connectionId, String replyId, String file) {
    return send("startrecording", siteBaseUrl, new JsonObject().put("connectionId", connectionId)
        .put("replyId", replyId).put("recordingFileName", file), false);
  }

  public Future<Void> stopRecording(String siteBaseUrl, String connectionId, String replyId) {
    return send("stoprecording", siteBaseUrl, new JsonObject().put("connectionId", connectionId)
        .put("replyId", replyId), true);
  }

  public Future<Void> hangup(String siteBaseUrl, String participantId, String replyId, String sessionId) {
    return send("hangupparticipant", siteBaseUrl, new JsonObject().put("participantId", participantId)
        .put("replyId", replyId).put("sessionId", sessionId), true);
  }

  /** Whether the circuit breaker is open (requests fail at once without being sent). */
  public boolean breakerOpen() {
    return breaker.state() == io.vertx.circuitbreaker.CircuitBreakerState.OPEN;
  }

  public void close() {
    breaker.close();
    client.close();
  }

  private Future<Void> send(String operation, String siteBaseUrl, JsonObject body, boolean repeatable) {
    String base = siteBaseUrl != null ? siteBaseUrl : config.baseUrl();
    String url = base.replaceAll("/+$", "") + "/" + config.domain() + "/" + operation;
    return attempt(operation, url, body, repeatable ? config.retries() : 0, 0);
  }

  private Future<Void> attempt(String operation, String url, JsonObject body, int retriesLeft, int attempt) {
    long began = System.nanoTime();
    return breaker.<HttpResponse<Buffer>>execute(() -> post(operation, url, body))
        .recover(e -> Future.failedFuture(unavailable(operation, e)))
        .compose(response -> accepted(operation, response))
        .onComplete(done -> outcomes.record(operation, done.succeeded() ? "ok"
            : ((MediaserviceException) done.cause()).outcome(), System.nanoTime() - began))
        .recover(e -> {
          MediaserviceException failed = (MediaserviceException) e;
          if (retriesLeft == 0 || !failed.worthRetrying()) {
            LOG.warn("api.failed operation={} url={} error={}", operation, url, failed.getMessage());
            return Future.failedFuture(failed);
          }
          long backoff = BACKOFF_MILLIS << attempt;
          long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff);
          return vertx.timer(jittered).compose(t -> attempt(operation, url, body, retriesLeft - 1, attempt + 1));
        });
  }

  /** One request; only no answer or a 5xx fails it, so that a 4xx (a call already gone) never trips the breaker. */
  private Future<HttpResponse<Buffer>> post(String operation, String url, JsonObject body) {
    var request = client.postAbs(url).timeout(config.timeoutMillis());
    String bearer = token.get();
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    LOG.debug("api.sent operation={} url={}", operation, url);
    return request.sendJsonObject(body).compose(response -> response.statusCode() >= 500
        ? Future.failedFuture(new MediaserviceException(operation, response.statusCode(), "status " + response.statusCode()))
        : Future.succeededFuture(response));
  }

  private static MediaserviceException unavailable(String operation, Throwable failure) {
    if (failure instanceof MediaserviceException known) {
      return known;
    }
    if (failure instanceof OpenCircuitException) {
      return new MediaserviceException(operation, MediaserviceException.NOT_SENT, "circuit open after repeated failures");
    }
    return new MediaserviceException(operation, MediaserviceException.NO_ANSWER,
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
  }

  /** 2xx with {"success": true}; anything else is refused with what the service said. */
  private static Future<Void> accepted(String operation, HttpResponse<Buffer> response) {
    JsonObject answer;
    try {
      answer = response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      answer = null;
    }
    if (response.statusCode() / 100 == 2 && answer != null && Boolean.TRUE.equals(answer.getValue("success"))) {
      return Future.succeededFuture();
    }
    String said = response.bodyAsString();
    said = said == null ? "" : said.length() > 200 ? said.substring(0, 200) : said;
    return Future.failedFuture(new MediaserviceException(operation, response.statusCode(),
        "status " + response.statusCode() + " " + said));
  }
}
