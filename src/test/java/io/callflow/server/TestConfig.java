package io.callflow.server;

import io.callflow.config.AppConfig;
import io.callflow.mediaservice.Answers;

/** A configuration for tests: loopback, port 0, one verticle, the test flows. */
public final class TestConfig {

  /** Copies the test flows into {@code dir}, for tests that edit flow files. */
  public static void copyFlows(java.nio.file.Path dir) throws java.io.IOException {
    for (String file : new String[] {"test-line.json", "direct.json"}) {
      java.nio.file.Files.copy(java.nio.file.Path.of("src/test/resources/flows", file), dir.resolve(file));
    }
  }

  /** The same configuration with another callback authentication. */
  public static AppConfig withAuth(AppConfig config, AppConfig.CallbackAuth auth) {
    return new AppConfig(config.server(), config.flows(), config.tts(), config.mediaservice(), config.session(),
        config.failsafe(), config.admin(), auth).validate();
  }

  /** The same configuration with sessions in the Redis at {@code url}. */
  public static AppConfig withRedis(AppConfig config, String url) {
    AppConfig.Sessions s = config.session();
    return new AppConfig(config.server(), config.flows(), config.tts(), config.mediaservice(),
        new AppConfig.Sessions("redis", s.ttlSeconds(), s.tombstoneSeconds(), s.reapIntervalSeconds(),
            new AppConfig.Redis(url, "standalone", "mymaster")),
        config.failsafe(), config.admin(), config.callbackAuth()).validate();
  }

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String READ_ONLY_TOKEN = "test-reader-token-0123456789";

  private TestConfig() {
  }

  public static AppConfig create(String flowsDir, String defaultFlow) {
    return new AppConfig(
        new AppConfig.Server("127.0.0.1", 0, "", 1, 65536, 1000),
        new AppConfig.Flows(flowsDir, defaultFlow, 1),
        new Answers.Tts("aws", "eu-west-1", "Joanna", "en-US"),
        new AppConfig.Mediaservice("http://127.0.0.1:1/mediaservice", "test.example", null),
        new AppConfig.Sessions("memory", 3600, 60, 1, new AppConfig.Redis(null, "standalone", "mymaster")),
        new AppConfig.Failsafe("Sorry, we cannot take your call."),
        new AppConfig.Admin(ADMIN_TOKEN, READ_ONLY_TOKEN, 10_000, "127.0.0.1", 0),
        new AppConfig.CallbackAuth("none", java.util.List.of(), null, null, 30)).validate();
  }
}
