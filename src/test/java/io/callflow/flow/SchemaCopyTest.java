package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchemaCopyTest {

  @Test
  @DisplayName("the schema on the classpath is the one published in flows/")
  void schemaCopyIsIdentical() throws IOException {
    assertEquals(Files.readString(Path.of("flows/flow.schema.json")),
        Files.readString(Path.of("src/main/resources/flow.schema.json")));
  }
}
