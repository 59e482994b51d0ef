package io.callflow.server;

import io.callflow.flow.Flow;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
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

  /**
   * Loads the directory into a registry. A file that fails is logged with every problem and left out, so one bad
   * edit cannot keep the other flows from serving.
   */
  public static FlowRegistry load(Path dir, String defaultFlow) throws IOException {
    FlowRegistry registry = new FlowRegistry(defaultFlow);
    FlowParser parser = new FlowParser();
    for (Path file : list(dir)) {
      try {
        Flow flow = parser.parse(file.getFileName().toString(), Files.readAllBytes(file));
        List<String> problems = registry.install(flow);
        if (problems.isEmpty()) {
          LOG.info("flow.loaded flow={} version={} file={} numbers={}", flow.id(), flow.version(), file, flow.numbers());
        } else {
          LOG.error("flow.rejected file={} problems={}", file, problems);
        }
      } catch (FlowException e) {
        LOG.error("flow.rejected file={} problems={}", file, e.problems());
      }
    }
    if (defaultFlow != null && registry.current(defaultFlow).isEmpty()) {
      LOG.warn("flow.missing defaultFlow={} is not loaded; numbers no flow claims are refused", defaultFlow);
    }
    return registry;
  }
}
