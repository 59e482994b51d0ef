package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PureCoreTest {

  @Test
  @DisplayName("no source of the flow core imports Vert.x")
  void flowCoreImportsNoVertx() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/callflow/flow"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() > 10, "found the flow sources");
    List<String> offenders = sources.stream().filter(f -> {
      try {
        return Files.readString(f).contains("import io.vertx");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).map(Path::toString).toList();
    assertEquals(List.of(), offenders);
  }

  @Test
  @DisplayName("the schema on the classpath is the one published in flows/")
  void schemaCopyIsIdentical() throws IOException {
    assertEquals(Files.readString(Path.of("flows/flow.schema.json")),
        Files.readString(Path.of("src/main/resources/flow.schema.json")));
  }
}
