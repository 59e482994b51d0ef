package io.callflow.cli;

import static io.callflow.Fixtures.freePort;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * callflow as its own JVM process for tests, on a free loopback port, with the shipped configuration changed as
 * given and a log file whose lines are written as they happen (no asynchronous appender), so that a process killed
 * with SIGKILL leaves every line it had logged.
 */
final class CallflowProcess implements AutoCloseable {

  private static final Pattern STARTED = Pattern.compile("call\\.started callId=(\\S+)");

  final int port;
  final Path log;
  private final Process process;

  private CallflowProcess(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts one; {@code adjust} edits the configuration after loopback, port and flows are set. */
  static CallflowProcess start(Path dir, String name, String flowsDir, java.util.function.Consumer<JsonObject> adjust)
      throws IOException {
    return start(dir, name, flowsDir, adjust, java.util.List.of());
  }

  /** As above, with more JVM options (system properties such as the chaos run's fault file). */
  static CallflowProcess start(Path dir, String name, String flowsDir, java.util.function.Consumer<JsonObject> adjust,
                               java.util.List<String> jvmOptions) throws IOException {
    int port = freePort();
    int adminPort = freePort();
    JsonObject config = new JsonObject(Files.readString(Path.of("config/application.json")));
    config.getJsonObject("server").put("host", "127.0.0.1").put("port", port).put("instances", 2)
        .put("warmupSeconds", 0);
    config.getJsonObject("admin").put("port", adminPort);
    config.getJsonObject("flows").put("dir", flowsDir).putNull("defaultFlow");
    adjust.accept(config);
    Path file = Files.writeString(dir.resolve(name + ".json"), config.encodePrettily());
    Path logback = Files.writeString(dir.resolve(name + "-logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n</pattern></encoder>
          </appender>
          <logger name="io.netty" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    Path log = dir.resolve(name + ".log");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-Dcallflow.drainSeconds=1",
        "-Dlogback.configurationFile=" + logback));
    command.addAll(jvmOptions);
    command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), "io.callflow.cli.Main", "serve",
        "--config", file.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    withoutCallflowVariables(builder);
    Process process = builder.start();
    return new CallflowProcess(port, log, process);
  }

  /**
   * The child gets only the configuration the test wrote: a CALLFLOW_* variable of the test's environment would
   * override it, or (unknown) stop start-up.
   */
  static ProcessBuilder withoutCallflowVariables(ProcessBuilder builder) {
    builder.environment().keySet().removeIf(name -> name.startsWith("CALLFLOW_"));
    return builder;
  }

  /** Waits until /ready answers 200, at most 30 s. */
  CallflowProcess awaitReady(WebClient client) throws Exception {
    for (int i = 0; i < 300; i++) {
      boolean ready = client.get(port, "127.0.0.1", "/ready").send()
          .transform(r -> Future.succeededFuture(r.succeeded() && r.result().statusCode() == 200)).await();
      if (ready) {
        return this;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("callflow did not come up: " + Files.readString(log));
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM (graceful shutdown), then the exit code, waiting 30 s at most. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("callflow did not stop within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** How many times each call was started (call.started lines), by callId. */
  Map<String, Integer> started() throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = STARTED.matcher(Files.readString(log));
    while (m.find()) {
      counts.merge(m.group(1), 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
