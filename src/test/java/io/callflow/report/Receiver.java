package io.callflow.report;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/** A stub export receiver on loopback: answers the n-th POST (from 0) with {@code status(n)} and keeps every POST. */
final class Receiver {

  record Post(String path, MultiMap headers, JsonObject body, int status) {

    String id() {
      return body.getString("id");
    }
  }

  private final List<Post> posts;
  private final HttpServer server;

  private Receiver(List<Post> posts, HttpServer server) {
    this.posts = posts;
    this.server = server;
  }

  static Receiver start(Vertx vertx, int port, IntUnaryOperator status) {
    List<Post> posts = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      int answer;
      synchronized (posts) {
        answer = status.applyAsInt(posts.size());
        posts.add(new Post(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
            body.toJsonObject(), answer));
      }
      request.response().setStatusCode(answer).end(answer == 400 ? "{\"error\":\"bad payload\"}" : "");
    }));
    return new Receiver(posts, server.listen(port, "127.0.0.1").await());
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  /** The POSTs answered with a 2xx: what the receiver really has. */
  List<Post> accepted() {
    return posts.stream().filter(p -> p.status() / 100 == 2).toList();
  }

  int port() {
    return server.actualPort();
  }

  void stop() {
    server.close().await();
  }
}
