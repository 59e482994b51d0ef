package io.callflow;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** An RSA key pair for tests: its halves as PEM text or files, and RS256 JWTs signed with it. */
public final class RsaKeys {

  private final KeyPair pair;

  public RsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is part of every JRE", e);
    }
  }

  public String publicPem() {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  public String privatePem() {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  public Path writePublic(Path file) throws java.io.IOException {
    return Files.writeString(file, publicPem());
  }

  public Path writePrivate(Path file) throws java.io.IOException {
    return Files.writeString(file, privatePem());
  }

  /** An RS256 JWT with exactly these claims (no iat is added). */
  public String jwt(Vertx vertx, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privatePem())));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
  }

  /** A JWT valid for a minute from now. */
  public String jwt(Vertx vertx) {
    return jwt(vertx, new JsonObject().put("exp", System.currentTimeMillis() / 1000 + 60));
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
