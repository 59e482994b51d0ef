package io.callflow.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The chaos run's load balancer, on loopback: each request goes to a random instance, and one whose instance cannot
 * be reached (refused, reset, killed mid-request) is sent to the other, as nginx does with {@code
 * proxy_next_upstream error timeout non_idempotent}. Instances may be replaced (a restarted process has a new port).
 */
final class RandomBalancer {

  private final AtomicIntegerArray ports;
  private final WebClient client;
  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private HttpServer server;

  private RandomBalancer(Vertx vertx, int... ports) {
    this.ports = new AtomicIntegerArray(ports);
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(1000), new PoolOptions().setHttp1MaxSize(128));
  }

  static Future<RandomBalancer> start(Vertx vertx, int... ports) {
    RandomBalancer balancer = new RandomBalancer(vertx, ports);
    balancer.server = vertx.createHttpServer().requestHandler(balancer::handle);
    return balancer.server.listen(0, "127.0.0.1").map(s -> balancer);
  }

  int port() {
    return server.actualPort();
  }

  void replace(int instance, int port) {
    ports.set(instance, port);
  }

  int retried() {
    return retried.get();
  }

  /** Requests no instance answered (the balancer said 502). */
  int failed() {
    return failed.get();
  }

  Future<Void> close() {
    client.close();
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> forward(request, body, ThreadLocalRandom.current().nextInt(ports.length()), 0)
        .onComplete(done -> {
          if (done.failed()) {
            failed.incrementAndGet();
            request.response().setStatusCode(502).end("no instance answered: " + done.cause());
            return;
          }
          HttpResponse<Buffer> response = done.result();
          request.response().setStatusCode(response.statusCode());
          response.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")
                && !name.equalsIgnoreCase("Transfer-Encoding")) {
              request.response().putHeader(name, value);
            }
          });
          request.response().end(response.body() == null ? Buffer.buffer() : response.body());
        }));
  }

  /** To {@code instance}; on a connection failure to the other, then (both down a moment) once more after 300 ms. */
  private Future<HttpResponse<Buffer>> forward(HttpServerRequest request, Buffer body, int instance, int tries) {
    var outbound = client.request(request.method(), ports.get(instance), "127.0.0.1", request.uri()).timeout(10_000);
    request.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        outbound.putHeader(name, value);
      }
    });
    return outbound.sendBuffer(body).recover(failure -> {
      if (tries >= 3) {
        return Future.failedFuture(failure);
      }
      retried.incrementAndGet();
      int next = (instance + 1) % ports.length();
      return tries < 1 ? forward(request, body, next, tries + 1)
          : Vertx.currentContext().owner().timer(300).compose(t -> forward(request, body, next, tries + 1));
    });
  }
}
