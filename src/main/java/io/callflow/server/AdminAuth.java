package io.callflow.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The admin API's bearer token check; compared in constant time, and the API is off without a token. */
final class AdminAuth implements Handler<RoutingContext> {

  private final byte[] token;

  AdminAuth(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (token == null) {
      throw new BadCallback(403, "the admin API is off: set admin.token (CALLFLOW_ADMIN_TOKEN)");
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      throw new BadCallback(401, "a valid admin bearer token is required");
    }
    ctx.next();
  }
}
