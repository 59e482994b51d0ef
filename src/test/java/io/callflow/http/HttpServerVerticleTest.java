package io.callflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HttpServerVerticleTest {

  @Test
  @DisplayName("alsoServe serves a second route table on the verticle's own event loop, on a port of its own")
  void alsoServeRunsOnTheSameEventLoop(Vertx vertx) {
    HttpServerOptions loopback = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    HttpServerVerticle listener = new HttpServerVerticle(loopback,
        v -> request -> request.response().end("real " + Thread.currentThread().getName()));
    vertx.deployVerticle(listener).await();
    HttpServer other = listener.alsoServe(new HttpServerOptions(loopback).setPort(-1),
        v -> request -> request.response().end("other " + Thread.currentThread().getName())).await();
    WebClient client = WebClient.create(vertx);
    String real = client.get(listener.actualPort(), "127.0.0.1", "/").send().await().bodyAsString();
    String also = client.get(other.actualPort(), "127.0.0.1", "/").send().await().bodyAsString();
    assertEquals(real.replace("real ", "other "), also);
    other.close().await();
  }
}
