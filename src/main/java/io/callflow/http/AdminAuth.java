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
 * everything, the read-only token for GET only — compared in constant time. Without a token the API is off. The
 * studio's pages send no bearer token: they carry the cookie of a studio login ({@link StudioLogins}), which stands
 * for the token it was opened with; changes made with it must also carry the studio's header, which a page of
 * another site cannot send. Who is asking ({@link Identity}) is left on the context for handlers that record it.
 */
final class AdminAuth implements Handler<RoutingContext> {

  /** Requests counted in the current minute, per client address. */
  private record Window(long minute, int count) {
  }

  private static final int MAX_CLIENTS = 10_000;
  /** The context key of the {@link Identity} of the request. */
  static final String IDENTITY = "callflow.admin.identity";

  /** Who a token stands for: its name (what the history records as author) and whether it may change things. */
  record Identity(String name, boolean writer) {
  }

  static final Identity ADMIN = new Identity("admin", true);
  static final Identity READER = new Identity("read-only", false);

  private final byte[] readWrite;
  private final byte[] readOnly;
  private final int perMinute;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final StudioLogins logins;

  AdminAuth(AppConfig.Admin config) {
    this(config, new StudioLogins());
  }

  AdminAuth(AppConfig.Admin config, StudioLogins logins) {
    this.logins = logins;
    this.readWrite = bytes(config.token());
    this.readOnly = bytes(config.readOnlyToken());
    this.perMinute = config.requestsPerMinute();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ensureOn();
    Identity who = ctx.request().getHeader("Authorization") == null ? logins.find(ctx) : null;
    if (who != null) {
      if (ctx.request().method() != HttpMethod.GET && ctx.request().getHeader(StudioLogins.HEADER) == null) {
        throw new BadCallback(403, "a studio change must carry the " + StudioLogins.HEADER + " header");
      }
    } else {
      limit(ctx);
      String header = ctx.request().getHeader("Authorization");
      who = identify(header != null && header.startsWith("Bearer ") ? header.substring(7) : "");
    }
    if (who == null) {
      throw new BadCallback(401, "a valid admin bearer token is required");
    }
    if (!who.writer() && ctx.request().method() != HttpMethod.GET) {
      throw new BadCallback(403, "the read-only token cannot change anything");
    }
    ctx.put(IDENTITY, who);
    ctx.next();
  }

  /** 403 while no token is configured: the admin API (and the studio) is off. */
  void ensureOn() {
    if (readWrite == null && readOnly == null) {
      throw new BadCallback(403, "the admin API is off: set admin.token (CALLFLOW_ADMIN_TOKEN)");
    }
  }

  /** 429 when the client's address has made too many attempts this minute. */
  void limit(RoutingContext ctx) {
    if (!allowed(ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress())) {
      throw new BadCallback(429, "too many admin requests from this address; at most " + perMinute + " a minute");
    }
  }

  /** Who {@code token} stands for, compared in constant time; null for no valid token. */
  Identity identify(String token) {
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    if (readWrite != null && MessageDigest.isEqual(readWrite, given)) {
      return ADMIN;
    }
    return readOnly != null && MessageDigest.isEqual(readOnly, given) ? READER : null;
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
