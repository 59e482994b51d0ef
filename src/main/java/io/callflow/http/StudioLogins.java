package io.callflow.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Studio logins. Logging in with an admin token opens a login: a random id in an HttpOnly, SameSite=Strict cookie,
 * which stands for the token's {@link AdminAuth.Identity} for eight hours. The token itself never leaves the login
 * request: not in a URL, not in the page, not in the cookie. In memory: a restart logs everyone out.
 */
final class StudioLogins {

  static final String COOKIE = "callflow_studio";
  /** Changes made with a login cookie must carry this header (a cross-site form cannot set it). */
  static final String HEADER = "X-Callflow-Studio";
  private static final Duration LIFETIME = Duration.ofHours(8);
  private static final int MAX_LOGINS = 10_000;

  private record Login(AdminAuth.Identity who, long expiresAt) {
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Login> logins = new ConcurrentHashMap<>();

  /** Opens a login for {@code who} and sets its cookie on the answer. */
  void open(RoutingContext ctx, AdminAuth.Identity who) {
    long now = System.currentTimeMillis();
    if (logins.size() > MAX_LOGINS) {
      logins.values().removeIf(l -> l.expiresAt() < now);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    logins.put(id, new Login(who, now + LIFETIME.toMillis()));
    ctx.response().addCookie(cookie(id).setMaxAge(LIFETIME.toSeconds()));
  }

  /** The identity of the request's login cookie, or null. */
  AdminAuth.Identity find(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    Login login = cookie == null ? null : logins.get(cookie.getValue());
    if (login == null || login.expiresAt() < System.currentTimeMillis()) {
      return null;
    }
    return login.who();
  }

  /** Ends the request's login and clears its cookie. */
  void close(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie != null) {
      logins.remove(cookie.getValue());
    }
    ctx.response().addCookie(cookie("").setMaxAge(0));
  }

  private static Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/");
  }
}
