package io.callflow.report;

import io.callflow.config.ReportConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class JsonlTargetTest {

  @Test
  @DisplayName("the file rotates at its size: path.1, path.2 kept, older ones deleted, no line split or lost")
  void rotation(Vertx vertx, @TempDir Path dir) throws Exception {
    Path path = dir.resolve("activity.jsonl");
    JsonlTarget target = new JsonlTarget(vertx, new ReportConfig.Jsonl("file", path.toString(), 1024, 2));
    List<Entry> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String line = "{\"n\":" + (1000 + i) + ",\"pad\":\"" + "x".repeat(80) + "\"}";
      batch.add(new Entry(i, line.getBytes(StandardCharsets.UTF_8), null));
    }
    List<Result> results = target.send(batch).await();
    target.close();

    assertEquals(40, results.size());
    assertTrue(results.stream().allMatch(r -> r instanceof Result.Delivered));
    assertFalse(Files.exists(dir.resolve("activity.jsonl.3")), "only two rotated files are kept");
    List<String> kept = new ArrayList<>();
    for (String name : List.of("activity.jsonl.2", "activity.jsonl.1", "activity.jsonl")) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        assertTrue(Files.size(file) <= 1024 + 100, name + " is about the rotation size");
        kept.addAll(Files.readAllLines(file));
      }
    }
    // 100-byte lines, 1024-byte files: 11 lines each; the last 22 to 33 lines are kept, in order.
    int first = 40 - kept.size();
    assertTrue(kept.size() >= 22, "lines kept: " + kept.size());
    for (int i = 0; i < kept.size(); i++) {
      assertTrue(kept.get(i).startsWith("{\"n\":" + (1000 + first + i) + ","), kept.get(i));
    }
  }

  @Test
  @DisplayName("a line cut short by a crash is ended first, so the next record stays a line of its own")
  void tornLine(Vertx vertx, @TempDir Path dir) throws Exception {
    Path path = dir.resolve("activity.jsonl");
    Files.writeString(path, "{\"n\":1}\n{\"n\":2,\"cut");
    JsonlTarget target = new JsonlTarget(vertx, new ReportConfig.Jsonl("file", path.toString(), 1 << 20, 2));
    target.send(List.of(new Entry(0, "{\"n\":3}".getBytes(StandardCharsets.UTF_8), null))).await();
    target.close();
    assertEquals(List.of("{\"n\":1}", "{\"n\":2,\"cut", "{\"n\":3}"), Files.readAllLines(path));
  }
}
