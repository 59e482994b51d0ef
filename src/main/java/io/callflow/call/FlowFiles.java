package io.callflow.call;

import io.callflow.flow.FlowRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads every flow file of the flows directory (blocking: call it off the event loop). */
public final class FlowFiles {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.flows");
  private static final String SCHEMA_FILE = "flow.schema.json";

  private FlowFiles() {
  }

  /** The flow files of {@code dir}: every *.json but the schema, in name order. */
  public static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().equals(SCHEMA_FILE))
          .sorted()
          .toList();
    }
  }

  /** A registry with every flow of {@code dir} that passes (see {@link FlowWatcher}). */
  public static FlowRegistry load(Path dir, String defaultFlow) throws IOException {
    FlowRegistry registry = new FlowRegistry(defaultFlow);
    new FlowWatcher(dir, registry, CallMetrics.none()).scan();
    if (defaultFlow != null && registry.current(defaultFlow).isEmpty()) {
      LOG.warn("flow.missing defaultFlow={} is not loaded; numbers no flow claims are refused", defaultFlow);
    }
    return registry;
  }
}
