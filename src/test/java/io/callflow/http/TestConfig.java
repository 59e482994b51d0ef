package io.callflow.http;

import io.callflow.config.Tts;
import io.callflow.config.AppConfig;
import io.callflow.mediaservice.Answers;
import java.lang.reflect.RecordComponent;

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
    return with(config, auth);
  }

  /** The same configuration with another admin API setup. */
  public static AppConfig withAdmin(AppConfig config, AppConfig.Admin admin) {
    return with(config, admin);
  }

  /** The same configuration talking to a mediaservice REST API at {@code baseUrl} with {@code token}. */
  public static AppConfig withMediaservice(AppConfig config, String baseUrl, String token) {
    return with(config, new AppConfig.Mediaservice(baseUrl, "test.example", token, null, 2000, 2));
  }

  public static AppConfig withMediaservice(AppConfig config, AppConfig.Mediaservice mediaservice) {
    return with(config, mediaservice);
  }

  /** The same configuration with other outbound settings and http-state allowed hosts. */
  public static AppConfig withOutbound(AppConfig config, AppConfig.Outbound outbound, AppConfig.Http http) {
    return with(with(config, outbound), http);
  }

  /** The same configuration exporting activity records as {@code report} says. */
  public static AppConfig withReport(AppConfig config, io.callflow.config.ReportConfig report) {
    return with(config, report);
  }

  /** {@code config} with the section of {@code part}'s type replaced by {@code part} (every section has its own type). */
  public static AppConfig with(AppConfig config, Object part) {
    RecordComponent[] components = AppConfig.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = types[i].isInstance(part) ? part : components[i].getAccessor().invoke(config);
      }
      return AppConfig.class.getDeclaredConstructor(types).newInstance(values).validate();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same configuration with sessions in the Redis at {@code url}. */
  public static AppConfig withRedis(AppConfig config, String url) {
    AppConfig.Sessions s = config.session();
    return with(config, new AppConfig.Sessions("redis", s.ttlSeconds(), s.tombstoneSeconds(), s.reapIntervalSeconds(),
        new AppConfig.Redis(url, "standalone", "mymaster")));
  }

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String READ_ONLY_TOKEN = "test-reader-token-0123456789";

  private TestConfig() {
  }

  public static AppConfig create(String flowsDir, String defaultFlow) {
    return new AppConfig(
        new AppConfig.Server("127.0.0.1", 0, "", 1, 65536, 1000, 0),
        new AppConfig.Flows(flowsDir, defaultFlow, 1),
        new Tts("aws", "eu-west-1", "Joanna", "en-US"),
        new AppConfig.Mediaservice("http://127.0.0.1:1/mediaservice", "test.example", null, null, 2000, 2),
        new AppConfig.Outbound("trunk.test", "+46850001000", 30, null),
        new AppConfig.Http(java.util.List.of(), 65536),
        new AppConfig.Sessions("memory", 3600, 60, 1, new AppConfig.Redis(null, "standalone", "mymaster")),
        new AppConfig.Failsafe("Sorry, we cannot take your call."),
        new AppConfig.Admin(ADMIN_TOKEN, READ_ONLY_TOKEN, 10_000, "127.0.0.1", 0),
        new AppConfig.CallbackAuth("none", java.util.List.of(), null, null, 30),
        new io.callflow.config.ReportConfig("target/outbox-unused", 168, 1000, 300000, java.util.List.of()),
        new AppConfig.Log("text")).validate();
  }
}
