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

  @Test
  @DisplayName("a partial file works: every key it leaves out keeps its default")
  void partialFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("app.json"), """
        {"server": {"port": 9091}, "session": {"ttlSeconds": 600}, "log": {"format": "json"}}""");
    AppConfig config = ConfigLoader.load(file, Map.of());
    assertEquals(9091, config.server().port());
    assertEquals("0.0.0.0", config.server().host(), "the rest of server keeps its defaults");
    assertEquals(600, config.session().ttlSeconds());
    assertEquals("standalone", config.session().redis().type(), "session.redis left out");
    assertEquals("info", config.log().level());
    assertEquals(8081, config.admin().port());
    assertEquals(ConfigLoader.load(SHIPPED, Map.of()), ConfigLoader.load(
        Files.writeString(dir.resolve("empty.json"), "{}"), Map.of()), "{} is the shipped configuration");
    assertEquals(ConfigLoader.load(SHIPPED, Map.of()), ConfigLoader.loadEmbedded(Map.of()), "embedded = shipped");
  }

  @Test
  @DisplayName("a jsonl exporter without rotateBytes and keep gets their defaults; one without a path names the key")
  void exporterDefaults(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("app.json"), """
        {"report": {"exporters": [{"type": "jsonl", "name": "file", "path": "records/activity.jsonl"}]}}""");
    ReportConfig.Jsonl jsonl = (ReportConfig.Jsonl) ConfigLoader.load(file, Map.of()).report().exporters().get(0);
    assertEquals(104_857_600, jsonl.rotateBytes());
    assertEquals(10, jsonl.keep());
    Path noPath = Files.writeString(dir.resolve("bad.json"), """
        {"report": {"exporters": [{"type": "jsonl", "name": "file"}]}}""");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(noPath, Map.of()));
    assertTrue(e.getMessage().startsWith("config report.exporters[0].path"), e.getMessage());
  }

  @Test
  @DisplayName("any key from the environment, objects included: mediaservice.jwt as JSON or key by key")
  void objectsFromEnvironment() {
    AppConfig whole = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_MEDIASERVICE_JWT",
        "{\"privateKeyFile\": \"keys/api.pem\", \"issuer\": \"callflow\"}"));
    assertEquals("keys/api.pem", whole.mediaservice().jwt().privateKeyFile());
    assertEquals("callflow", whole.mediaservice().jwt().issuer());
    assertEquals(300, whole.mediaservice().jwt().ttlSeconds(), "the section's default");
    AppConfig leaves = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_MEDIASERVICE_JWT_PRIVATE_KEY_FILE", "keys/api.pem",
        "CALLFLOW_MEDIASERVICE_JWT_TTL_SECONDS", "600"));
    assertEquals("keys/api.pem", leaves.mediaservice().jwt().privateKeyFile());
    assertEquals(600, leaves.mediaservice().jwt().ttlSeconds());
    AppConfig redis = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_SESSION_REDIS",
        "{\"url\": \"redis://r:6379\"}", "CALLFLOW_SESSION_STORE", "redis"));
    assertEquals("redis://r:6379", redis.session().redis().url());
    assertEquals("mymaster", redis.session().redis().masterName(), "an object is laid over the defaults");
    assertMessage(Map.of("CALLFLOW_MEDIASERVICE_JWT", "{not json"), "config CALLFLOW_MEDIASERVICE_JWT: expected JSON");
    assertEquals("debug", ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_LOG_LEVEL", "debug")).log().level());
    assertMessage(Map.of("CALLFLOW_LOG_LEVEL", "loud"), "config log.level");
  }

  @Test
  @DisplayName("an unknown CALLFLOW_* variable stops start-up, naming it and the closest key")
  void unknownVariable() {
    assertMessage(Map.of("CALLFLOW_SERVER_PROT", "9090"),
        "config CALLFLOW_SERVER_PROT: unknown environment variable: no configuration key has this name; "
            + "did you mean CALLFLOW_SERVER_PORT?");
    assertMessage(Map.of("CALLFLOW_NOTHING_LIKE_IT_AT_ALL", "1"), "config CALLFLOW_NOTHING_LIKE_IT_AT_ALL: unknown");
    assertEquals(8080, ConfigLoader.load(SHIPPED, Map.of("CALLFLOWX", "1", "OTHER_VAR", "2")).server().port(),
        "other variables are none of callflow's business");
  }

  @Test
  @DisplayName("NAME_FILE reads any key's value from a file (secrets), without its line end; not both at once")
  void secretFiles(@TempDir Path dir) throws IOException {
    Path token = Files.writeString(dir.resolve("admin-token"), "from-a-file-0123456789\n");
    Path credentials = Files.writeString(dir.resolve("credentials"), "old-token-123456,new-token-654321");
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_ADMIN_TOKEN_FILE", token.toString(),
        "CALLFLOW_MEDIASERVICE_TOKEN_FILE", token.toString(),
        "CALLFLOW_CALLBACK_AUTH_MODE", "bearer", "CALLFLOW_CALLBACK_AUTH_CREDENTIALS_FILE", credentials.toString()));
    assertEquals("from-a-file-0123456789", config.admin().token());
    assertEquals("from-a-file-0123456789", config.mediaservice().token());
    assertEquals(java.util.List.of("old-token-123456", "new-token-654321"), config.callbackAuth().credentials());
    assertMessage(Map.of("CALLFLOW_ADMIN_TOKEN_FILE", dir.resolve("none").toString()),
        "config CALLFLOW_ADMIN_TOKEN_FILE: cannot read");
    assertMessage(Map.of("CALLFLOW_ADMIN_TOKEN_FILE", token.toString(), "CALLFLOW_ADMIN_TOKEN", "x".repeat(20)),
        "config CALLFLOW_ADMIN_TOKEN_FILE: both");
    assertEquals("keys/api.pem", ConfigLoader.load(SHIPPED, Map.of("CALLFLOW_MEDIASERVICE_JWT_PRIVATE_KEY_FILE",
        "keys/api.pem")).mediaservice().jwt().privateKeyFile(), "a key named ...File is itself, not a _FILE form");
  }

  @Test
  @DisplayName("without flows/ in the working directory, the default flows.dir becomes a copy of the example flows")
  void embeddedExampleFlows(@TempDir Path dir) throws IOException {
    AppConfig config = ConfigLoader.loadEmbedded(Map.of());
    AppConfig examples = EmbeddedExamples.whereMissing(config, dir);
    Path copied = Path.of(examples.flows().dir());
    assertTrue(Files.exists(copied.resolve("support.json")), copied.toString());
    assertEquals(Files.readString(Path.of("flows/support.json")), Files.readString(copied.resolve("support.json")));
    Files.createDirectory(dir.resolve("flows"));
    assertEquals(config, EmbeddedExamples.whereMissing(config, dir), "a flows/ directory here is used as it is");
    AppConfig chosen = config.withFlowsDir("/nowhere/flows");
    assertEquals(chosen, EmbeddedExamples.whereMissing(chosen, dir.resolve("x")), "a chosen directory is kept");
  }

  private static void assertMessage(Map<String, String> env, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(SHIPPED, env));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
