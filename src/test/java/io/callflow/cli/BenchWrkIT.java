package io.callflow.cli;

import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps bench/wrk.sh working: one short round of each server, nothing measured. The benchmark itself is for people
 * on a quiet machine (bench/README.md), never a test.
 */
class BenchWrkIT {

  @Test
  @DisplayName("bench/wrk.sh walks whole calls through callflow and the ceiling and reports a ratio, every answer 200")
  void smoke(@TempDir Path dir) throws Exception {
    assertTrue(Files.exists(Path.of("target/callflow.jar")), "the package phase builds the jar the script runs");
    Path out = dir.resolve("wrk.txt");
    ProcessBuilder script = new ProcessBuilder("bash", "bench/wrk.sh").redirectErrorStream(true)
        .redirectOutput(out.toFile());
    script.environment().putAll(java.util.Map.of("SECONDS_EACH", "1", "WARMUP", "1", "ROUNDS", "1", "THREADS", "2",
        "CF_WARMUP", "0", "CF_PORT", String.valueOf(freePort()), "CEIL_PORT", String.valueOf(freePort()),
        "JVM_OPTS", "-Xmx256m"));
    Process process = script.start();
    boolean ended = process.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(out);
    assertTrue(ended, "ended within 2 minutes: " + output);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.matches("(?s).*ratio callflow/ceiling \\(best rounds\\): \\d+\\.\\d\\d.*"), output);
    assertTrue(output.contains("callbacks not answered 200, or socket errors: 0"), output);
  }
}
