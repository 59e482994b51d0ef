package io.callflow.session;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One real redis-server and one Vert.x for a test class, emptied before each test: stores on it stand for instances. */
abstract class OneRedis {

  @TempDir
  static Path dir;
  static RedisProcess redis;
  static Vertx vertx;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start(dir);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    vertx.close().await();
    redis.close();
  }

  @BeforeEach
  void emptyRedis() throws Exception {
    redis.command("FLUSHALL");
  }
}
