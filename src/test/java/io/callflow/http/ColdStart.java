package io.callflow.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/**
 * A cold JVM loads and initialises Netty (server and client channels, pooled buffers and their JFR events) on
 * whichever event loop gets there first: over half a second on a busy machine. Called from a {@code @BeforeAll},
 * before EventLoopDiscipline starts watching, so that the check judges callflow rather than JVM start-up.
 */
final class ColdStart {

  private ColdStart() {
  }

  /** One request through a throwaway server and client on a Vert.x of their own. */
  static void warmNetty() {
    Vertx warm = Vertx.vertx();
    try {
      HttpServer server = warm.createHttpServer().requestHandler(r -> r.response().end("warm"))
          .listen(0, "127.0.0.1").await();
      // Held in a variable: Vert.x 5 closes a client nothing refers to any more, even mid-request.
      HttpClient client = warm.createHttpClient();
      client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
          .compose(request -> request.send().compose(HttpClientResponse::body)).await();
      client.close().await();
    } finally {
      warm.close().await();
    }
  }
}
