package io.callflow.cli;

import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar callflow.jar} started in an empty directory: no config/, no flows/. It runs on the configuration
 * and example flows embedded in the jar (built by {@code mvn package}, before failsafe runs this).
 */
class EmbeddedDefaultIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the jar serves the embedded example flows from any directory; a misspelt CALLFLOW_* stops it")
  void runsAnywhere() throws Exception {
    Path jar = Path.of("target/callflow.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "mvn package builds the jar before the integration tests");
    int port = freePort();
    int adminPort = freePort();
    ProcessBuilder builder = CallflowProcess.withoutCallflowVariables(new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    builder.environment().put("CALLFLOW_SERVER_HOST", "127.0.0.1");
    builder.environment().put("CALLFLOW_SERVER_PORT", String.valueOf(port));
    builder.environment().put("CALLFLOW_ADMIN_PORT", String.valueOf(adminPort));
    Process process = builder.start();
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = WebClient.create(vertx);
      HttpResponse<Buffer> ready = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && process.isAlive()) {
        ready = client.get(port, "127.0.0.1", "/ready").send()
            .transform(r -> Future.succeededFuture(r.succeeded() ? r.result() : null)).await();
        if (ready != null && ready.statusCode() == 200) {
          break;
        }
        Thread.sleep(200);
      }
      String log = Files.readString(dir.resolve("out.log"));
      assertTrue(ready != null && ready.statusCode() == 200, log);
      assertTrue(ready.bodyAsJsonObject().getInteger("flows") >= 4, ready.bodyAsString());
      assertTrue(log.contains("config.embedded") && log.contains("flows.embedded"), log);
      assertEquals(200, client.get(adminPort, "127.0.0.1", "/metrics").send().await().statusCode());
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      vertx.close().await();
    }

    ProcessBuilder misspelt = CallflowProcess.withoutCallflowVariables(new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "serve"))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("misspelt.log").toFile());
    misspelt.environment().put("CALLFLOW_SERVER_PROT", "9090");
    Process refused = misspelt.start();
    assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("misspelt.log"));
    assertEquals(2, refused.exitValue(), log);
    assertTrue(log.contains("CALLFLOW_SERVER_PROT") && log.contains("did you mean CALLFLOW_SERVER_PORT"), log);
  }
}
