package io.callflow.report;

import io.callflow.Eventually;
import static io.callflow.Fixtures.freePort;
import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process killed with SIGKILL: records already in the outbox are delivered by the next process. */
class ExportCrashIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("kill -9 while Expertflow is down: after the restart each record arrives exactly once")
  void killedProcess() throws Exception {
    int port = freePort();
    int receiverPort = freePort();
    int adminPort = freePort();
    JsonObject config = new JsonObject(Files.readString(Path.of("config/application.json")));
    config.getJsonObject("server").put("host", "127.0.0.1").put("port", port).put("instances", 1)
        .put("warmupSeconds", 0);
    config.getJsonObject("admin").put("port", adminPort);
    config.getJsonObject("flows").put("dir", "src/test/resources/flows").putNull("defaultFlow");
    config.getJsonObject("report").put("outboxDir", dir.resolve("outbox").toString())
        .put("retryMinMillis", 50).put("retryMaxMillis", 200)
        .put("exporters", new JsonArray().add(new JsonObject().put("type", "expertflow").put("name", "cx")
            .put("fqdn", "http://127.0.0.1:" + receiverPort).put("serviceIdentifier", "1218")
            .put("senderId", "ivr-1").put("senderName", "callflow").put("callVariables", new JsonObject())));
    Path file = Files.writeString(dir.resolve("app.json"), config.encodePrettily());

    Vertx vertx = Vertx.vertx();
    Process first = start(file, "first");
    Process second = null;
    try {
      WebClient client = WebClient.create(vertx);
      eventually("the first process is ready", Eventually.PROCESS_START, () -> ready(client, port));
      Simulator simulator = new Simulator(vertx, SimConfig.local(port).compressed(500));
      List<Transcript> calls = new ArrayList<>();
      for (String script : List.of("hangup", "press 3; press 1234567#", "press 9; hangup", "hangup", "silent; hangup")) {
        calls.add(simulator.inbound("+46701234567", "+46800000001", CallerScript.parse(script)).await());
      }
      simulator.close();
      eventually("five records on disk", () -> metrics(client, adminPort).contains("callflow_export_backlog{exporter=\"cx\"} 5.0"));
      first.destroyForcibly();
      assertTrue(first.waitFor(10, TimeUnit.SECONDS));

      Receiver receiver = Receiver.start(vertx, receiverPort, n -> 202);
      second = start(file, "second");
      eventually("the five records arrive after the restart", Eventually.PROCESS_START, () -> receiver.accepted().size() >= 5);
      eventually("the backlog is empty", () -> metrics(client, adminPort).contains("callflow_export_backlog{exporter=\"cx\"} 0.0"));
      List<Receiver.Post> accepted = receiver.accepted();
      assertEquals(5, accepted.size(), accepted.toString());
      assertEquals(5, accepted.stream().map(Receiver.Post::id).distinct().count());
      Set<String> callIds = accepted.stream().map(p -> p.body().getJsonObject("body").getString("callId"))
          .collect(Collectors.toSet());
      assertEquals(calls.stream().map(Transcript::sessionId).collect(Collectors.toSet()), callIds);
      receiver.stop();
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
        second.waitFor(10, TimeUnit.SECONDS);
      }
      vertx.close().await();
    }
  }

  private Process start(Path config, String name) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dlogback.configurationFile=src/main/resources/logback.xml", "-cp", System.getProperty("java.class.path"),
        "io.callflow.cli.Main", "serve", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    // Only the configuration written above: a CALLFLOW_* variable of the test's environment would change it.
    builder.environment().keySet().removeIf(variable -> variable.startsWith("CALLFLOW_"));
    return builder.start();
  }

  private static boolean ready(WebClient client, int port) {
    return client.get(port, "127.0.0.1", "/ready").send()
        .transform(r -> Future.succeededFuture(r.succeeded() && r.result().statusCode() == 200)).await();
  }

  private static String metrics(WebClient client, int port) {
    return client.get(port, "127.0.0.1", "/metrics").send()
        .transform(r -> Future.succeededFuture(r.succeeded() ? r.result().bodyAsString() : "")).await();
  }
}
