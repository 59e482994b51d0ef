package io.callflow.http;

import io.callflow.call.BadCallback;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The studio's pages, from the jar ({@code /studio/*} on the classpath): without a login only the login page and
 * what it needs; with one the studio. Every answer carries a strict Content-Security-Policy (scripts and styles only
 * from the studio's own files, no inline code, no frames, connections only back to this server).
 */
final class StudioPages {

  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}\\.(js|css|html|svg|json)");
  /** What a browser without a login may load: the login page's own parts. */
  private static final Set<String> PUBLIC = Set.of("login.js", "studio.css", "icon.svg");
  private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "svg", "image/svg+xml",
      "json", "application/json");

  private final AdminAuth auth;
  private final StudioLogins logins;
  private final Map<String, Optional<Buffer>> files = new ConcurrentHashMap<>();

  StudioPages(AdminAuth auth, StudioLogins logins) {
    this.auth = auth;
    this.logins = logins;
  }

  /** GET /studio/: the studio for a login, else the login page. */
  void index(RoutingContext ctx) {
    send(ctx, logins.find(ctx) != null ? "index.html" : "login.html");
  }

  /** GET /studio/{file}. */
  void file(RoutingContext ctx) {
    String name = ctx.pathParam("file");
    if (!PUBLIC.contains(name) && logins.find(ctx) == null) {
      secure(ctx.response()).setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("log in at /studio/ first");
      return;
    }
    send(ctx, name);
  }

  /** GET /studio/flow.schema.json: the flow schema, for the editor's completion and help. */
  void schema(RoutingContext ctx) {
    if (logins.find(ctx) == null) {
      throw new BadCallback(401, "log in at /studio/ first");
    }
    secure(ctx.response()).putHeader("Content-Type", "application/json").end(files
        .computeIfAbsent("/flow.schema.json", StudioPages::load)
        .orElseThrow(() -> new IllegalStateException("flow.schema.json is missing from the classpath")));
  }

  /** POST /studio/login {"token"}: opens a login (cookie) for the token's identity; rate limited as the API is. */
  void login(RoutingContext ctx) {
    auth.ensureOn();
    auth.limit(ctx);
    String token = RequestBodies.string(RequestBodies.object(ctx), "token", true);
    AdminAuth.Identity who = auth.identify(token);
    if (who == null) {
      throw new BadCallback(401, "that is not an admin token");
    }
    logins.open(ctx, who);
    Responses.json(ctx, identity(who).encode());
  }

  /** GET /studio/me: who the login is, for the page to show and to hide what the read-only token cannot do. */
  void me(RoutingContext ctx) {
    AdminAuth.Identity who = logins.find(ctx);
    if (who == null) {
      throw new BadCallback(401, "not logged in");
    }
    secure(ctx.response());
    Responses.json(ctx, identity(who).encode());
  }

  void logout(RoutingContext ctx) {
    logins.close(ctx);
    ctx.response().setStatusCode(204).end();
  }

  private static JsonObject identity(AdminAuth.Identity who) {
    return new JsonObject().put("name", who.name()).put("writer", who.writer());
  }

  private void send(RoutingContext ctx, String name) {
    Optional<Buffer> body = NAME.matcher(name).matches()
        ? files.computeIfAbsent(name, n -> load("/studio/" + n)) : Optional.empty();
    if (body.isEmpty()) {
      throw new BadCallback(404, "no such studio file: " + name);
    }
    secure(ctx.response()).putHeader("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
        .end(body.get());
  }

  static HttpServerResponse secure(HttpServerResponse response) {
    return response.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Frame-Options", "DENY")
        .putHeader("Cache-Control", "no-store");
  }

  private static Optional<Buffer> load(String resource) {
    try (InputStream in = StudioPages.class.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
