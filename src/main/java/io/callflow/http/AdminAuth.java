package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.config.AppConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin API's gate: a rate limit per client address, then the bearer token — the read-write token for
 * everything, the read-only token for GET only — compared in constant time. Without a token the API is off.
 */
final class AdminAuth implements Handler<RoutingContext> {

  /** Requests counted in the current minute, per client address. */
  private record Window(long minute, int count) {
  }

  private static final int MAX_CLIENTS = 10_000;

  private final byte[] readWrite;
  private final byte[] readOnly;
  private final int perMinute;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  AdminAuth(AppConfig.Admin config) {
    this.readWrite = bytes(config.token());
    this.readOnly = bytes(config.readOnlyToken());
    this.perMinute = config.requestsPerMinute();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (readWrite == null && readOnly == null) {
      throw new BadCallback(403, "the admin API is off: set admin.token (CALLFLOW_ADMIN_TOKEN)");
    }
    if (!allowed(ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress())) {
      throw new BadCallback(429, "too many admin requests from this address; at most " + perMinute + " a minute");
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
    boolean writer = readWrite != null && MessageDigest.isEqual(readWrite, given);
    boolean reader = readOnly != null && MessageDigest.isEqual(readOnly, given);
    if (!writer && !reader) {
      throw new BadCallback(401, "a valid admin bearer token is required");
    }
    if (!writer && ctx.request().method() != HttpMethod.GET) {
      throw new BadCallback(403, "the read-only token cannot change anything");
    }
    ctx.next();
  }

  private boolean allowed(String client) {
    long minute = System.currentTimeMillis() / 60_000;
    if (windows.size() > MAX_CLIENTS) {
      windows.values().removeIf(w -> w.minute() < minute);
    }
    Window window = windows.compute(client, (k, w) -> w == null || w.minute() != minute
        ? new Window(minute, 1) : new Window(minute, w.count() + 1));
    return window.count() <= perMinute;
  }

  private static byte[] bytes(String token) {
    return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }
}
