package io.callflow.http;

import io.callflow.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a callback comes from the mediaservice, before its handler decodes it or touches a session:
 * HTTP Basic, a static bearer token, or an RS256 JWT (with exp/nbf, small clock skew, optional iss/aud). Each
 * mode accepts two credentials at once for rotation; secrets are compared in constant time. A failed check is
 * answered 401 with a JSON error and counted.
 */
final class CallbackAuth implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.auth");

  private final String mode;
  private final List<byte[]> secrets = new ArrayList<>();
  private final List<JWTAuth> verifiers = new ArrayList<>();
  private final AtomicLong refused;

  /** {@code pems} are the contents of the configured public key files (jwt mode). */
  CallbackAuth(Vertx vertx, AppConfig.CallbackAuth config, List<String> pems, AtomicLong refused) {
    this.mode = config.mode();
    this.refused = refused;
    if (mode.equals("basic") || mode.equals("bearer")) {
      config.credentials().forEach(c -> secrets.add(c.getBytes(StandardCharsets.UTF_8)));
    }
    for (String pem : pems) {
      JWTOptions options = new JWTOptions().setLeeway(config.leewaySeconds());
      if (config.issuer() != null) {
        options.setIssuer(config.issuer());
      }
      if (config.audience() != null) {
        options.addAudience(config.audience());
      }
      verifiers.add(JWTAuth.create(vertx, new JWTAuthOptions().setJWTOptions(options)
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem))));
    }
  }

  /** Whether callbacks need no credentials (mode none): then this check is left out of their routes. */
  boolean open() {
    return mode.equals("none");
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    switch (mode) {
      case "basic" -> decide(ctx, header != null && header.startsWith("Basic ") && matches(basic(header.substring(6))));
      case "bearer" -> decide(ctx, header != null && header.startsWith("Bearer ")
          && matches(header.substring(7).getBytes(StandardCharsets.UTF_8)));
      case "jwt" -> {
        if (header == null || !header.startsWith("Bearer ")) {
          decide(ctx, false);
        } else {
          verify(header.substring(7), 0).onComplete(result -> decide(ctx, result.succeeded()));
        }
      }
      default -> ctx.next();
    }
  }

  /** Tries each configured key in turn, so a token signed with the old or the new key is accepted. */
  private Future<Void> verify(String token, int key) {
    if (key >= verifiers.size()) {
      return Future.failedFuture("no key verifies the token");
    }
    return verifiers.get(key).authenticate(new TokenCredentials(token)).<Void>mapEmpty()
        .recover(e -> verify(token, key + 1));
  }

  private boolean matches(byte[] given) {
    boolean ok = false;
    for (byte[] secret : secrets) {
      ok |= MessageDigest.isEqual(secret, given);
    }
    return ok;
  }

  private static byte[] basic(String encoded) {
    try {
      return Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private void decide(RoutingContext ctx, boolean ok) {
    if (ok) {
      ctx.next();
      return;
    }
    refused.incrementAndGet();
    LOG.info("callback.unauthorized path={} mode={} from={}", ctx.normalizedPath(), mode,
        ctx.request().remoteAddress());
    ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", 401).put("error", "callback authentication failed (" + mode + ")").encode());
  }
}
