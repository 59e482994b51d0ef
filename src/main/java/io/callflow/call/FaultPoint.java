package io.callflow.call;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-only crash points for bench/chaos.sh: with {@code -Dcallflow.chaos.faultFile=<path>}, when that file exists
 * and names a point ({@code before}: right after an answer that orders kept work, before it is carried out;
 * {@code after}: right after a request went out, before it is marked done), the process halts there as a
 * {@code kill -9} would, once (the file is removed first). Without the property nothing is checked.
 */
final class FaultPoint {

  private static final String PROPERTY = System.getProperty("callflow.chaos.faultFile");
  private static final Path FILE = PROPERTY == null ? null : Path.of(PROPERTY);

  private FaultPoint() {
  }

  static void reached(String point) {
    if (FILE == null) {
      return;
    }
    try {
      if (Files.exists(FILE) && Files.readString(FILE).trim().equals(point)) {
        Files.deleteIfExists(FILE);
        org.slf4j.LoggerFactory.getLogger("callflow.call").warn("chaos.halt point={}", point);
        Runtime.getRuntime().halt(137);
      }
    } catch (java.io.IOException e) {
      // A fault point that cannot read its file does nothing.
    }
  }
}
