package io.callflow.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** GET /api/openapi.json: the admin API's OpenAPI 3.1 document, the resource openapi.json, read once on a worker. */
final class OpenApiHandler implements Handler<RoutingContext> {

  static final String RESOURCE = "/openapi.json";

  private volatile String document;

  @Override
  public void handle(RoutingContext ctx) {
    String cached = document;
    Future<String> text = cached != null ? Future.succeededFuture(cached)
        : ctx.vertx().executeBlocking(OpenApiHandler::read).onSuccess(read -> document = read);
    text.onSuccess(json -> Responses.json(ctx, json)).onFailure(ctx::fail);
  }

  static String read() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
