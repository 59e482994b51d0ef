package io.callflow.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Serves the route table on the configured port; deploy one instance per event loop. */
public final class HttpServerVerticle extends VerticleBase {

  static final long SHUTDOWN_GRACE_SECONDS = 10;

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Handler<HttpServerRequest>> routes;
  private HttpServer server;

  public HttpServerVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Handler<HttpServerRequest>> routes) {
    this.options = options;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options).requestHandler(routes.apply(vertx));
    return server.listen();
  }

  /** Stops accepting connections and lets requests in flight finish, for at most {@link #SHUTDOWN_GRACE_SECONDS}. */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Serves {@code routes} on {@code options} from this verticle's event loop too, until the server returned is
   * closed: a warm-up's synthetic calls then run on the very threads that real callbacks will, filling their
   * thread-local pools and caches (a listener deployed apart would get event loops of its own).
   */
  Future<HttpServer> alsoServe(HttpServerOptions options,
                               Function<io.vertx.core.Vertx, Handler<HttpServerRequest>> routes) {
    Promise<HttpServer> served = Promise.promise();
    context.runOnContext(v -> {
      HttpServer other = vertx.createHttpServer(options).requestHandler(routes.apply(vertx));
      other.listen().map(other).onComplete(served);
    });
    return served.future();
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
