package io.callflow.mediaservice;

import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.RsaKeys;
import io.callflow.config.AppConfig;
import io.callflow.http.MutableClock;
import io.callflow.sim.JwtVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ApiTokenTest {

  @Test
  @DisplayName("a minted RS256 token carries the configured claims, verifies, and is reused until a minute before it expires")
  void minted(Vertx vertx) throws Exception {
    RsaKeys keys = new RsaKeys();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    AppConfig.Mediaservice config = new AppConfig.Mediaservice("https://api.example", "tenant.example", null,
        new AppConfig.Jwt("unused", "callflow", "tenant-47", "iotcomms", 300), 3000, 2);
    ApiToken token = ApiToken.of(vertx, config, keys.privatePem(), clock);

    String first = token.get();
    assertTrue(new JwtVerifier(keys.publicPem()).test(first));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]),
        StandardCharsets.UTF_8));
    assertEquals("callflow", claims.getString("iss"));
    assertEquals("tenant-47", claims.getString("sub"));
    assertEquals("tenant.example", claims.getString("domain"));
    assertEquals(300, claims.getLong("exp") - claims.getLong("iat"));

    clock.set(clock.instant().plusSeconds(239));
    assertEquals(first, token.get(), "reused while more than a minute is left");
    // The signer stamps iat from the system's clock in whole seconds, so a token minted anew equals the first
    // until that second has passed: poll, each time moving our clock into the current token's last minute.
    clock.set(clock.instant().plusSeconds(2));
    eventually("renewed within the last minute", () -> {
      String current = token.get();
      clock.set(clock.instant().plusSeconds(241));
      return current;
    }, renewed -> !renewed.equals(first));
  }

  @Test
  @DisplayName("a configured token is used as it is; none configured sends none")
  void fixed(Vertx vertx) {
    assertEquals("t-1", ApiToken.of(vertx, new AppConfig.Mediaservice("https://a", "d", "t-1", null, 3000, 2), null,
        java.time.Clock.systemUTC()).get());
    assertEquals(null, ApiToken.of(vertx, new AppConfig.Mediaservice("https://a", "d", null, null, 3000, 2), null,
        java.time.Clock.systemUTC()).get());
  }
}
