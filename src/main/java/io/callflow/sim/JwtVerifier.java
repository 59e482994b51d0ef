package io.callflow.sim;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Accepts an RS256 JWT signed by the key whose public half it holds, unexpired, as the mediaservice's
 * jwtAuthorizer would: the simulator's check of the tokens callflow mints for the REST API.
 */
public final class JwtVerifier implements Predicate<String> {

  private final PublicKey key;

  /** {@code pem}: an X.509 "BEGIN PUBLIC KEY" PEM. */
  public JwtVerifier(String pem) {
    try {
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an RSA public key in PEM form: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean test(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Base64.Decoder url = Base64.getUrlDecoder();
      JsonObject header = new JsonObject(new String(url.decode(parts[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(url.decode(parts[1]), StandardCharsets.UTF_8));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      boolean signed = "RS256".equals(header.getString("alg")) && rsa.verify(url.decode(parts[2]));
      Long expires = claims.getLong("exp");
      return signed && expires != null && expires * 1000 > System.currentTimeMillis();
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
