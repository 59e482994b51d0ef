package io.callflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos run of bench/chaos.sh, shorter: the same faults, the same counts, the same goal. */
class ChaosIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("two instances, one Redis with AOF, random and aimed kill -9 and a Redis restart under effect-bearing "
      + "load: no record lost, no wrong ending, no placeivrcall or startrecording twice")
  void chaos() throws Exception {
    ChaosRun.Result result = ChaosRun.run(new ChaosRun.Options(dir, 40, 8, 16));
    System.out.println("== chaos run (ChaosIT, 40 s at 8 calls/s)\n" + result.report());
    assertTrue(result.counts().getOrDefault("faults.kill9.random", 0) >= 2, "instances were killed");
    assertEquals(0, result.counts().getOrDefault("effects.startrecording.repeated", -1));
    assertEquals(0, result.counts().getOrDefault("effects.placeivrcall.repeated", -1));
    assertEquals(0, result.counts().getOrDefault("records.lost", -1));
    assertEquals(List.of(), result.problems());
  }
}
