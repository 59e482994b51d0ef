package io.callflow.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A load balancer for tests, on loopback: every callback of a call goes to the other instance than the one before
 * (calls are told apart by sessionId, or callflow's reference), and a callback whose instance cannot be reached or
 * drops the connection is sent to the next one — as nginx does with {@code proxy_next_upstream error timeout
 * non_idempotent}, which is safe because callflow answers a repeated callback with its first answer.
 */
public final class AlternatingBalancer {

  private final List<Integer> ports;
  private final WebClient client;
  private final Map<String, AtomicInteger> ordinals = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> routes = new ConcurrentHashMap<>();
  private final AtomicLongArray served;
  private final AtomicInteger retried = new AtomicInteger();
  private HttpServer server;

  private AlternatingBalancer(Vertx vertx, List<Integer> ports) {
    this.ports = List.copyOf(ports);
    this.served = new AtomicLongArray(ports.size());
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(64));
  }

  /** Listens on a free loopback port in front of the callflow instances at {@code ports}. */
  public static Future<AlternatingBalancer> start(Vertx vertx, List<Integer> ports) {
    AlternatingBalancer balancer = new AlternatingBalancer(vertx, ports);
    balancer.server = vertx.createHttpServer().requestHandler(balancer::handle);
    return balancer.server.listen(0, "127.0.0.1").map(s -> balancer);
  }

  public int port() {
    return server.actualPort();
  }

  /** Callbacks each instance answered. */
  public long served(int instance) {
    return served.get(instance);
  }

  /** Callbacks sent to the next instance because theirs could not be reached. */
  public int retried() {
    return retried.get();
  }

  /** Which instance answered each callback of the call, in order. */
  public List<Integer> route(String sessionId) {
    return routes.getOrDefault(sessionId, List.of());
  }

  public Future<Void> close() {
    client.close();
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String call = callOf(body);
      int ordinal = ordinals.computeIfAbsent(call, c -> new AtomicInteger()).getAndIncrement();
      int first = Math.floorMod(call.hashCode() + ordinal, ports.size());
      forward(request, body, first, 0).onComplete(done -> {
        if (done.failed()) {
          request.response().setStatusCode(502).end("no instance answered: " + done.cause());
          return;
        }
        Answered answered = done.result();
        served.incrementAndGet(answered.instance());
        routes.computeIfAbsent(call, c -> Collections.synchronizedList(new ArrayList<>())).add(answered.instance());
        HttpResponse<Buffer> response = answered.response();
        request.response().setStatusCode(response.statusCode());
        String type = response.getHeader("Content-Type");
        if (type != null) {
          request.response().putHeader("Content-Type", type);
        }
        request.response().end(response.body() == null ? Buffer.buffer() : response.body());
      });
    });
  }

  private record Answered(int instance, HttpResponse<Buffer> response) {
  }

  /** Sends to {@code instance}; when it cannot be reached, to the next one, until each was tried once. */
  private Future<Answered> forward(HttpServerRequest request, Buffer body, int instance, int tries) {
    var outbound = client.request(request.method(), ports.get(instance), "127.0.0.1", request.uri()).timeout(10_000);
    request.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        outbound.putHeader(name, value);
      }
    });
    return outbound.sendBuffer(body).map(response -> new Answered(instance, response)).recover(failure -> {
      if (tries + 1 >= ports.size()) {
        return Future.failedFuture(failure);
      }
      retried.incrementAndGet();
      return forward(request, body, (instance + 1) % ports.size(), tries + 1);
    });
  }

  private static String callOf(Buffer body) {
    try {
      JsonObject json = body.toJsonObject();
      if (json.getString("sessionId") != null) {
        return json.getString("sessionId");
      }
      JsonObject reference = json.getJsonObject("sessionReferenceId");
      return reference != null && reference.getString("callId") != null ? reference.getString("callId") : "";
    } catch (RuntimeException notJson) {
      return "";
    }
  }
}
