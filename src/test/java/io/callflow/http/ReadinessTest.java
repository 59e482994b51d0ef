package io.callflow.http;

import io.callflow.call.FlowFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.callflow.flow.FlowRegistry;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /ready asks the session store: a store that fails or does not answer makes the instance not ready. */
@ExtendWith(VertxExtension.class)
class ReadinessTest {

  /** A store whose readiness ping gives what the test sets; nothing else of it is used. */
  static final class PingStore implements SessionStore {
    private final SessionStore rest = new CallbackDeadlineTest.HangingStore();
    volatile Future<Void> ping = Future.succeededFuture();

    @Override
    public Future<Void> ping() {
      return ping;
    }

    @Override
    public <T> Future<T> update(String callId, Function<Session, Change<T>> fn) {
      return rest.update(callId, fn);
    }

    @Override
    public Future<Session> get(String callId) {
      return rest.get(callId);
    }

    @Override
    public Future<Void> alias(String alias, String callId) {
      return rest.alias(alias, callId);
    }

    @Override
    public Future<String> resolve(String alias) {
      return rest.resolve(alias);
    }

    @Override
    public Future<List<Session>> reap(Instant now) {
      return rest.reap(now);
    }

    @Override
    public Future<List<Session>> live() {
      return rest.live();
    }

    @Override
    public Future<Integer> size() {
      return rest.size();
    }
  }

  @Test
  @DisplayName("ready while the store answers; 503 'session store unreachable' when it fails or hangs; back after")
  void storeReachability(Vertx vertx) throws Exception {
    FlowRegistry flows = FlowFiles.load(Path.of("src/test/resources/flows"), null);
    PingStore store = new PingStore();
    HealthHandler health = new HealthHandler(flows, store, new AtomicBoolean());
    Router router = Router.router(vertx);
    router.get("/ready").handler(health::ready);
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    WebClient client = WebClient.create(vertx);

    assertEquals(200, client.get(port, "127.0.0.1", "/ready").send().await().statusCode());
    store.ping = Future.failedFuture("connection refused");
    HttpResponse<Buffer> failing = client.get(port, "127.0.0.1", "/ready").send().await();
    assertEquals(503, failing.statusCode());
    assertEquals(new JsonObject().put("ready", false).put("flows", 2).put("reason", "session store unreachable"),
        failing.bodyAsJsonObject());
    store.ping = Promise.<Void>promise().future();
    long began = System.nanoTime();
    assertEquals(503, client.get(port, "127.0.0.1", "/ready").send().await().statusCode());
    long waitedMillis = (System.nanoTime() - began) / 1_000_000;
    assertEquals(true, waitedMillis >= HealthHandler.PING_TIMEOUT_MILLIS && waitedMillis < 3_000,
        "a hanging store is given up on after the ping timeout: " + waitedMillis + " ms");
    store.ping = Future.succeededFuture();
    assertEquals(200, client.get(port, "127.0.0.1", "/ready").send().await().statusCode());
  }
}
