package io.callflow.cli;

import static io.callflow.Eventually.eventually;
import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.Eventually;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.StopOutcome;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process: SIGTERM during a load test drains, answers what it accepted, and exits 0. */
class SigtermIT {

  @Test
  @DisplayName("SIGTERM during load: readiness goes false, accepted callbacks are answered, the process exits 0")
  void sigterm(@TempDir Path dir) throws Exception {
    int port = freePort();
    JsonObject config = new JsonObject(Files.readString(Path.of("config/application.json")));
    config.getJsonObject("server").put("host", "127.0.0.1").put("port", port).put("instances", 2)
        .put("warmupSeconds", 0);
    config.getJsonObject("flows").put("dir", "src/test/resources/flows").putNull("defaultFlow");
    config.getJsonObject("admin").put("port", freePort());
    Path file = Files.writeString(dir.resolve("app.json"), config.encodePrettily());
    Path log = dir.resolve("server.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dcallflow.drainSeconds=1", "-Dlogback.configurationFile=src/main/resources/logback.xml", "-cp", System.getProperty("java.class.path"), "io.callflow.cli.Main", "serve",
        "--config", file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = WebClient.create(vertx);
      eventually("the server came up (log: " + log + ")", Eventually.PROCESS_START, () -> ready(client, port));

      Simulator simulator = new Simulator(vertx, SimConfig.local(port).compressed(1000));
      // A warm server, as in production: what is measured is the shutdown, not a cold JIT.
      List<Future<Transcript>> warmUp = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        warmUp.add(simulator.inbound(CALLER, LINE, CallerScript.parse("press 3; press 1234567#")));
      }
      assertEquals(100, StopOutcome.of(warmUp).completed(), "the server serves calls before it is stopped");
      List<Future<Transcript>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        calls.add(simulator.inbound(CALLER, LINE, CallerScript.parse("press 3; press 1234567#")));
        Thread.sleep(5);
        if (i == 100) {
          server.destroy();
        }
      }
      StopOutcome outcome = StopOutcome.of(calls);
      simulator.close();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the process stopped");
      System.out.printf("SIGTERM under load: %d calls, %d completed, %d lost, exit %d%n", outcome.calls(),
          outcome.completed(), outcome.lost().size(), server.exitValue());
      assertEquals(0, server.exitValue(), Files.readString(log));
      assertEquals(List.of(), outcome.lost(), outcome.lost().toString());
      assertTrue(outcome.completed() > 0);
      String output = Files.readString(log);
      assertTrue(output.contains("callflow.stopping") && output.contains("callflow.stopped"), output);
    } finally {
      server.destroyForcibly();
      vertx.close().await();
    }
  }

  private static boolean ready(WebClient client, int port) {
    return client.get(port, "127.0.0.1", "/ready").send()
        .transform(r -> Future.succeededFuture(r.succeeded() && r.result().statusCode() == 200)).await();
  }
}
