package io.callflow.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis as callflow talks to it: one long-lived, pipelined connection per event loop (taking a pooled connection
 * per command was measured 4–5 times slower), so a callback's commands never leave its thread. A connection that
 * drops is replaced on next use; while Redis cannot be reached, commands fail at once for a growing back-off
 * (50 ms up to 2 s) instead of queueing, so a callback gets its failsafe answer in time, and the first command after
 * the back-off tries again: the link heals by itself when Redis returns.
 */
public final class RedisLink {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.redis");
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 2000;

  /** Redis could not be reached (or is in back-off after failing to); the command was not sent. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final Vertx vertx;
  private final Redis client;
  private final Map<Thread, Slot> slots = new ConcurrentHashMap<>();
  /** Serves callers off the event loops (the reaper's worker, tests, commands), on one context of its own. */
  private final Slot shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisLink(Vertx vertx, Redis client) {
    this.vertx = vertx;
    this.client = client;
    this.shared = new Slot(vertx.getOrCreateContext());
  }

  /** A link to the Redis at {@code urls} (comma-separated), of {@code type} standalone, sentinel or cluster. */
  public static RedisLink open(Vertx vertx, String urls, String type, String masterName) {
    RedisOptions options = new RedisOptions()
        .setType(RedisClientType.valueOf(type.toUpperCase(java.util.Locale.ROOT)))
        .setMasterName(masterName)
        .setRole(RedisRole.MASTER)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(1000).setTcpNoDelay(true).setTcpKeepAlive(true))
        // Connections are held for good, one per event loop plus one: the pool only has to have room for them.
        .setMaxPoolSize(64)
        .setMaxPoolWaiting(64)
        .setMaxWaitingHandlers(16 * 1024);
    for (String url : urls.split(",")) {
      options.addConnectionString(url.trim());
    }
    return new RedisLink(vertx, Redis.createClient(vertx, options));
  }

  public Future<Response> send(Request request) {
    return slot().connection().compose(connection -> connection.send(request));
  }

  /** Sends the requests in one write; answers come in the same order. */
  public Future<List<Response>> batch(List<Request> requests) {
    return requests.isEmpty() ? Future.succeededFuture(List.of())
        : slot().connection().compose(connection -> connection.batch(requests));
  }

  public boolean closed() {
    return closed.get();
  }

  /** Closes every connection; commands sent after this fail. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    List<Future<Void>> closing = new ArrayList<>();
    slots.values().forEach(slot -> closing.add(slot.close()));
    closing.add(shared.close());
    return Future.join(closing).transform(done -> client.close());
  }

  private Slot slot() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
      return shared;
    }
    return slots.computeIfAbsent(Thread.currentThread(), thread -> new Slot(context));
  }

  /** The connection of one event loop, and what to do while there is none. */
  private final class Slot {

    private final Context context;
    private RedisConnection connection;
    private Future<RedisConnection> connecting;
    private long retryAtNanos;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private Throwable lastFailure;

    Slot(Context context) {
      this.context = context;
    }

    synchronized Future<RedisConnection> connection() {
      if (closed.get()) {
        return Future.failedFuture(new Unavailable("redis link closed", null));
      }
      if (connection != null) {
        return Future.succeededFuture(connection);
      }
      if (connecting != null) {
        return connecting;
      }
      if (System.nanoTime() < retryAtNanos) {
        // No cause: every callback fails this way while Redis is away, and one line each is enough in the log.
        return Future.failedFuture(new Unavailable("redis unreachable: " + lastFailure, null));
      }
      Promise<RedisConnection> promise = Promise.promise();
      connecting = promise.future();
      // Connected from the slot's own context, so the socket lives on this event loop.
      context.runOnContext(v -> client.connect().onComplete(done -> connected(done.result(), done.cause(), promise)));
      return connecting;
    }

    private void connected(RedisConnection opened, Throwable failure, Promise<RedisConnection> promise) {
      synchronized (this) {
        connecting = null;
        if (failure == null && closed.get()) {
          opened.close();
          failure = new Unavailable("redis link closed", null);
        }
        if (failure != null) {
          if (lastFailure == null) {
            LOG.warn("redis.unreachable cause={} (retrying with back-off)", failure.toString());
          }
          lastFailure = failure;
          retryAtNanos = System.nanoTime() + backoffMillis * 1_000_000;
          backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        } else {
          if (lastFailure != null) {
            LOG.info("redis.reconnected");
          }
          lastFailure = null;
          backoffMillis = FIRST_BACKOFF_MILLIS;
          connection = opened;
          opened.exceptionHandler(e -> drop(opened, e));
          opened.endHandler(v -> drop(opened, new Unavailable("redis closed the connection", null)));
        }
      }
      if (failure != null) {
        promise.fail(failure instanceof Unavailable ? failure : new Unavailable("redis unreachable: " + failure, null));
      } else {
        promise.complete(opened);
      }
    }

    /** The connection broke: forget it, so the next command connects afresh. */
    private void drop(RedisConnection broken, Throwable cause) {
      synchronized (this) {
        if (connection != broken) {
          return;
        }
        connection = null;
        lastFailure = cause;
      }
      if (!closed.get()) {
        LOG.warn("redis.disconnected cause={}", cause.toString());
      }
      broken.close();
    }

    synchronized Future<Void> close() {
      RedisConnection open = connection;
      connection = null;
      return open == null ? Future.succeededFuture() : open.close();
    }
  }
}
