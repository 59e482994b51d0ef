package io.callflow.session;

import static io.callflow.Eventually.eventually;
import static io.callflow.session.InMemorySessionStoreTest.T0;
import static io.callflow.session.InMemorySessionStoreTest.session;
import static io.callflow.session.RedisSessionStoreIT.LIFETIMES;
import static io.callflow.session.RedisSessionStoreIT.failed;
import static io.callflow.session.RedisSessionStoreIT.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis master with a replica and a Sentinel: the master dies, and the store finds the new one by itself. */
class RedisSentinelIT {

  @Test
  @DisplayName("Sentinel failover: the master is killed, its replica is promoted, and the store carries on there "
      + "by itself with the sessions replicated before")
  void failover(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess master = RedisProcess.start(dir);
         RedisProcess replica = RedisProcess.start(dir, "--replicaof", "127.0.0.1", String.valueOf(master.port()));
         RedisProcess sentinel = RedisProcess.sentinel(dir, master.port())) {
      RedisSessionStore store = new RedisSessionStore(
          RedisLink.open(vertx, "redis://127.0.0.1:" + sentinel.port(), "sentinel", "mymaster"), LIFETIMES,
          Duration.ofSeconds(1));
      store.update("c1", s -> put(session("c1", T0).withVar("n", "1"))).await();
      eventually("the replica has the session",
          () -> "1".equals(String.valueOf(replica.command("EXISTS", RedisSessionStore.keyOf("c1")))));
      eventually("the Sentinel knows the replica",
          () -> !((List<?>) sentinel.command("SENTINEL", "REPLICAS", "mymaster")).isEmpty());

      master.kill();
      long began = System.nanoTime();
      boolean back = false;
      for (int i = 0; i < 400 && !back; i++) {
        back = !failed(store.update("c1", s -> put(s.withVar("n", String.valueOf(Integer.parseInt(s.vars().get("n")) + 1)))));
        Thread.sleep(back ? 0 : 50);
      }
      long millis = (System.nanoTime() - began) / 1_000_000;
      System.out.printf("Sentinel failover: the store wrote again %d ms after the master died%n", millis);
      assertTrue(back, "the store reached the promoted replica");
      assertEquals("2", store.get("c1").await().vars().get("n"), "the replicated session, updated once");
      assertEquals("master", ((List<?>) replica.command("ROLE")).get(0));
      store.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
