package io.callflow.mediaservice;

import io.callflow.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;

/**
 * The bearer token for the mediaservice REST API: the configured one as is, or an RS256 JWT callflow signs with
 * its private key, reused until a minute before it expires so that signing stays off the hot path.
 */
public final class ApiToken {

  /** A minted token is renewed this long before it expires, so no request carries one about to lapse. */
  static final long RENEW_BEFORE_MILLIS = 60_000;

  private final String fixed;
  private final JWTAuth signer;
  private final JWTOptions options;
  private final JsonObject claims;
  private final long ttlMillis;
  private final Clock clock;
  private volatile Minted current;

  private record Minted(String token, long expiresAtMillis) {
  }

  private ApiToken(String fixed, JWTAuth signer, JWTOptions options, JsonObject claims, long ttlMillis, Clock clock) {
    this.fixed = fixed;
    this.signer = signer;
    this.options = options;
    this.claims = claims;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /** From the configuration; {@code privateKeyPem} is the key file's content when a JWT is minted, else null. */
  public static ApiToken of(Vertx vertx, AppConfig.Mediaservice config, String privateKeyPem, Clock clock) {
    AppConfig.Jwt jwt = config.jwt();
    if (jwt == null) {
      return new ApiToken(config.token(), null, null, null, 0, clock);
    }
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privateKeyPem)));
    JWTOptions options = new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(jwt.ttlSeconds());
    if (jwt.issuer() != null) {
      options.setIssuer(jwt.issuer());
    }
    if (jwt.subject() != null) {
      options.setSubject(jwt.subject());
    }
    if (jwt.audience() != null) {
      options.addAudience(jwt.audience());
    }
    return new ApiToken(null, signer, options, new JsonObject().put("domain", config.domain()),
        jwt.ttlSeconds() * 1000L, clock);
  }

  /** The token to send now, or null when none is configured. */
  public String get() {
    if (signer == null) {
      return fixed;
    }
    Minted minted = current;
    long now = clock.millis();
    if (minted == null || now >= minted.expiresAtMillis() - RENEW_BEFORE_MILLIS) {
      minted = new Minted(signer.generateToken(claims.copy(), options), now + ttlMillis);
      current = minted;
    }
    return minted.token();
  }
}
