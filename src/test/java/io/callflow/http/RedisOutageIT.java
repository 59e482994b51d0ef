package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.session.RedisProcess;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis goes away under load and comes back empty: callbacks keep being answered, and the server heals itself. */
class RedisOutageIT {

  static final long DEADLINE_MILLIS = 1000;

  @Test
  @DisplayName("Redis restarted mid-load: every callback is still answered within the deadline (the failsafe while "
      + "Redis is away), and calls after it is back complete normally without a restart of callflow")
  void restartMidLoad(@TempDir Path dir) throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("bench.json"), ScaleOutIT.benchFlow());
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(dir)) {
      Server server = Server.start(vertx, TestConfig.withRedis(TestConfig.create(flows.toString(), null), redis.url()),
          Clock.systemUTC()).await();
      // An answer later than the deadline (plus scheduling slack on a busy machine) is a protocol error.
      Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(100)
          .withTimeout(DEADLINE_MILLIS + 1500));
      List<Future<Transcript>> calls = new ArrayList<>();
      int before = 100;
      int after = 200;
      for (int i = 0; i < before; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(10);
      }
      redis.stop();
      for (int i = before; i < before + 60; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(25);
      }
      redis.launch();
      for (int i = before + 60; i < before + 60 + after; i++) {
        calls.add(call(simulator, i));
        Thread.sleep(20);
      }
      int normal = 0;
      int failsafe = 0;
      for (int i = 0; i < calls.size(); i++) {
        Transcript t = calls.get(i).await();
        assertEquals(List.of(), t.protocolErrors(), "every callback answered in time: " + t);
        boolean ok = t.heard().equals(expected(i));
        normal += ok ? 1 : 0;
        failsafe += ok ? 0 : 1;
        if (i >= calls.size() - 50) {
          assertTrue(ok, "a call well after Redis came back completes normally: " + t);
        }
      }
      System.out.printf("Redis restart mid-load: %d calls, %d normal, %d given the failsafe%n", calls.size(), normal,
          failsafe);
      // 60 calls started while Redis was away; on a slow machine the last of them may reach it after its return.
      assertTrue(failsafe >= 30, "the outage was felt: the calls started while Redis was away got the failsafe");
      simulator.close();
      server.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  private static Future<Transcript> call(Simulator simulator, int i) {
    return simulator.inbound(CALLER, ScaleOutIT.LINE,
        CallerScript.parse("press 3; press " + (100_000 + i) + "#"));
  }

  private static List<String> expected(int i) {
    return List.of(ScaleOutIT.MENU, "Enter your account number, then hash.",
        ScaleOutIT.expectedReadback(String.valueOf(100_000 + i)), "Goodbye.");
  }
}
