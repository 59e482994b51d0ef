package io.callflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final Path SHIPPED = Path.of("config/application.json");

  @Test
  @DisplayName("the shipped config loads and serves the example flows on port 8080")
  void shippedConfig() {
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of());
    assertEquals(8080, config.server().port());
    assertEquals("flows", config.flows().dir());
    assertEquals("memory", config.session().store());
    assertNull(config.mediaservice().token());
  }

  @Test
  @DisplayName("CALLFLOW_* variables override leaves, camelCase keys in UPPER_SNAKE")
  void environmentOverrides() {
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of(
        "CALLFLOW_SERVER_PORT", "9090",
        "CALLFLOW_SESSION_TTL_SECONDS", "600",
        "CALLFLOW_FLOWS_DEFAULT_FLOW", "other",
        "CALLFLOW_MEDIASERVICE_TOKEN", "secret",
        "CALLFLOW_CALLBACK_AUTH_MODE", "bearer",
        "CALLFLOW_CALLBACK_AUTH_CREDENTIALS", "old-token, new-token"));
    assertEquals(9090, config.server().port());
    assertEquals(600, config.session().ttlSeconds());
    assertEquals("other", config.flows().defaultFlow());
    assertEquals("secret", config.mediaservice().token());
    assertEquals(java.util.List.of("old-token", "new-token"), config.callbackAuth().credentials());
  }

  @Test
  @DisplayName("Redis sessions are chosen from the environment: store, URL (several for Sentinel) and master name")
  void redisFromEnvironment() {
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_SESSION_STORE", "redis",
        "CALLFLOW_SESSION_REDIS_URL", "redis://10.0.0.5:6379/0"));
    assertEquals("redis", config.session().store());
    assertEquals("redis://10.0.0.5:6379/0", config.session().redis().url());
    assertEquals("standalone", config.session().redis().type());
    AppConfig sentinel = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_SESSION_STORE", "redis",
        "CALLFLOW_SESSION_REDIS_URL", "redis://s1:26379, redis://s2:26379", "CALLFLOW_SESSION_REDIS_TYPE", "sentinel",
        "CALLFLOW_SESSION_REDIS_MASTER_NAME", "calls"));
    assertEquals("calls", sentinel.session().redis().masterName());
    assertMessage(Map.of("CALLFLOW_SESSION_STORE", "redis"), "config session.redis.url");
    assertMessage(Map.of("CALLFLOW_SESSION_STORE", "redis", "CALLFLOW_SESSION_REDIS_URL", "http://x:6379"),
        "config session.redis.url");
    assertMessage(Map.of("CALLFLOW_SESSION_REDIS_TYPE", "ring"), "config session.redis.type");
  }

  @Test
  @DisplayName("a bad value stops start-up with a message naming the key")
  void badValuesNameTheKey() {
    assertMessage(Map.of("CALLFLOW_SERVER_PORT", "70000"), "config server.port: expected a port number 0-65535");
    assertMessage(Map.of("CALLFLOW_SERVER_PORT", "eighty"), "config server.port");
    assertMessage(Map.of("CALLFLOW_TTS_ENGINE", "espeak"), "config tts.engine: expected aws or google");
    assertMessage(Map.of("CALLFLOW_SERVER_BASE_PATH", "ivr/"), "config server.basePath");
    assertMessage(Map.of("CALLFLOW_SESSION_STORE", "mongo"), "config session.store");
    assertMessage(Map.of("CALLFLOW_CALLBACK_AUTH_MODE", "bearer"), "config callbackAuth.credentials");
    assertMessage(Map.of("CALLFLOW_ADMIN_TOKEN", "short"), "config admin.token");
  }

  @Test
  @DisplayName("an unknown key in the file is an error naming it")
  void unknownKey(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("app.json");
    Files.writeString(file, Files.readString(SHIPPED).replace("\"port\": 8080", "\"prot\": 8080"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().contains("prot"), e.getMessage());
  }

  @Test
  @DisplayName("a missing or unreadable file names the file")
  void missingFile(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.json"), Map.of()));
    assertTrue(e.getMessage().contains("none.json"), e.getMessage());
  }

  private static void assertMessage(Map<String, String> env, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(SHIPPED, env));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
