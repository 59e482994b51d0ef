package io.callflow.report;

import io.callflow.config.ReportConfig;
import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and one delivery without HTTP: a target that is down, then up, and more records than fit in memory. */
@ExtendWith(VertxExtension.class)
class DeliveryTest {

  @TempDir
  Path dir;

  /** Fails every batch while {@code down}, else keeps what it is sent. */
  static final class FakeTarget implements Target {
    volatile boolean down = true;
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public Future<List<Result>> send(List<Entry> batch) {
      if (down) {
        return Future.succeededFuture(Collections.nCopies(batch.size(), new Result.Retry("down")));
      }
      batch.forEach(entry -> received.add(entry.record().id()));
      return Future.succeededFuture(Collections.nCopies(batch.size(), new Result.Delivered()));
    }
  }

  static ActivityRecord record(int n) {
    return new ActivityRecord(ActivityRecord.SCHEMA_VERSION, String.format("r-%05d", n), "call-" + n, "shop", "v1", "INBOUND", "+4670", "+468",
        0, System.currentTimeMillis(), List.of(), Map.of(), List.of(),
        new ActivityRecord.Ending("completed", "completed", null, "main", null), List.of(), List.of());
  }

  private long segments() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("t"))) {
      return files.filter(f -> f.toString().endsWith(".log")).count();
    }
  }

  @Test
  @DisplayName("3000 records while the target is down, 1000 more once it is up: each delivered once, in order")
  void backlogBeyondMemory(Vertx vertx) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReportMetrics metrics = new ReportMetrics(registry);
    Outbox outbox = Outbox.open(dir, List.of("t"), 64 * 1024, metrics);
    FakeTarget target = new FakeTarget();
    Delivery delivery = new Delivery("t", target, outbox, vertx.getOrCreateContext(), Clock.systemUTC(),
        Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(40), metrics, outbox.backlog("t"));
    outbox.start((name, end, entries) -> delivery.appended(end, entries));
    delivery.start();

    for (int n = 0; n < 3000; n++) {
      outbox.submit(record(n));
    }
    eventually("3000 waiting", () -> registry.get("callflow.export.backlog").gauge().value() == 3000);
    target.down = false;
    for (int n = 3000; n < 4000; n++) {
      outbox.submit(record(n));
    }
    eventually("all delivered", () -> target.received.size() >= 4000);
    eventually("the backlog is empty", () -> registry.get("callflow.export.backlog").gauge().value() == 0);
    List<String> expected = IntStream.range(0, 4000).mapToObj(n -> String.format("r-%05d", n)).toList();
    assertEquals(expected, new ArrayList<>(target.received), "once each, oldest first");
    eventually("delivered segments are deleted", () -> {
      try {
        return segments() == 1;
      } catch (Exception e) {
        return false;
      }
    });

    delivery.drain(Duration.ofSeconds(1)).await();
    Future.fromCompletionStage(outbox.close()).await();
    Outbox reopened = Outbox.open(dir, List.of("t"), 64 * 1024, metrics);
    assertEquals(0, reopened.backlog("t").count(), "nothing is sent again after a restart");
    Future.fromCompletionStage(reopened.close()).await();
  }

  @Test
  @DisplayName("closing right after 2000 records were handed in: all are on disk and delivered when close completes")
  void closeFlushesAndDrains(Vertx vertx) throws Exception {
    Path jsonl = dir.resolve("activity.jsonl");
    ReportConfig config = new ReportConfig(dir.resolve("outbox").toString(), 1, 10, 40,
        List.of(new ReportConfig.Jsonl("file", jsonl.toString(), 1 << 30, 1)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Reporting reporting = Reporting.start(vertx, config, Clock.systemUTC(), registry).await();
    for (int n = 0; n < 2000; n++) {
      reporting.ended(record(n));
    }
    reporting.close(Duration.ofSeconds(10)).await();
    List<String> lines = Files.readAllLines(jsonl);
    assertEquals(2000, lines.size());
    assertEquals(2000, lines.stream().distinct().count());
    reporting.ended(record(2000));
    assertEquals(1.0, registry.counter("callflow.export.failures", "exporter", "file", "reason", "dropped").count(),
        "a closed outbox refuses the record at once, and says so");
    assertEquals(2000, Files.readAllLines(jsonl).size(), "a closed outbox takes no more records");
  }
}
