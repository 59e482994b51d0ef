package io.callflow.call;

import io.callflow.flow.Finding;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.FlowValidator;
import io.callflow.session.FlowSourceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: looks at the flows directory and installs what changed. A new or edited file that parses and has no
 * validation errors replaces the flow's current version atomically; one that fails is logged with every problem
 * and the previous version keeps serving. A deleted file retires its flow for new calls. Calls already running
 * stay on the version they started with (the registry keeps every version). Blocking: run it off the event loop.
 */
public final class FlowWatcher {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.flows");

  private record Seen(long modified, long size, String flowId) {
  }

  private final Path dir;
  private final FlowRegistry registry;
  private final FlowParser parser = new FlowParser();
  private final FlowValidator validator;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final CallMetrics metrics;
  private final FlowSourceStore shared;
  /** Told of each version installed from a file, with the file's bytes (the history records it). */
  private volatile BiConsumer<Flow, byte[]> installed = (flow, source) -> { };

  /** Nothing is loaded until the first {@link #scan()}, which loads every file. */
  public FlowWatcher(Path dir, FlowRegistry registry, CallMetrics metrics) {
    this(dir, registry, metrics, FlowSourceStore.NONE);
  }

  /** Also saves each version it installs to {@code shared}, for calls that move to another instance. */
  public FlowWatcher(Path dir, FlowRegistry registry, CallMetrics metrics, FlowSourceStore shared) {
    this(dir, registry, metrics, shared, new FlowValidator());
  }

  /** With {@code validator} knowing the deployment (outbound.sipDomain decides whether numbers can be dialled). */
  public FlowWatcher(Path dir, FlowRegistry registry, CallMetrics metrics, FlowSourceStore shared,
                     FlowValidator validator) {
    this.validator = validator;
    this.dir = dir;
    this.registry = registry;
    this.metrics = metrics;
    this.shared = shared;
  }

  /** {@code listener} is told of every version installed from now on, under this watcher's lock. */
  public void onInstalled(BiConsumer<Flow, byte[]> listener) {
    this.installed = listener;
  }

  /** The directory watched. */
  public Path dir() {
    return dir;
  }

  /** One look at the directory; synchronized because a slow look must not overlap the next. */
  public synchronized void scan() throws IOException {
    Set<Path> present = new HashSet<>(FlowFiles.list(dir));
    for (Path file : present) {
      Seen before = seen.get(file);
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (before == null || before.modified() != attributes.lastModifiedTime().toMillis()
          || before.size() != attributes.size()) {
        seen.put(file, new Seen(attributes.lastModifiedTime().toMillis(), attributes.size(), load(file, before)));
      }
    }
    for (Path gone : Set.copyOf(seen.keySet())) {
      if (!present.contains(gone)) {
        String id = seen.remove(gone).flowId();
        if (id != null) {
          registry.retire(id);
          LOG.info("flow.retired flow={} file={} (calls on it finish on their version)", id, gone);
        }
      }
    }
  }

  /** Writes a flow's file whole (temporary file, then an atomic move) and installs it at once. */
  public synchronized void write(String id, byte[] json) throws IOException {
    Path file = fileOf(id);
    Path temporary = dir.resolve("." + id + ".json.tmp");
    Files.write(temporary, json);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    // Loaded even when size and time match what was seen (two writes within the clock's resolution).
    seen.computeIfPresent(file, (f, before) -> new Seen(-1, before.size(), before.flowId()));
    scan();
  }

  /** Deletes a flow's file and retires the flow; false when no file holds it. */
  public synchronized boolean delete(String id) throws IOException {
    Path file = seen.entrySet().stream().filter(e -> id.equals(e.getValue().flowId())).map(Map.Entry::getKey)
        .findFirst().orElse(null);
    if (file == null) {
      return false;
    }
    Files.delete(file);
    scan();
    return true;
  }

  /** The file that holds the flow: the one it was loaded from, else {@code <id>.json}. */
  public synchronized Path fileOf(String id) {
    return seen.entrySet().stream().filter(e -> id.equals(e.getValue().flowId())).map(Map.Entry::getKey)
        .findFirst().orElse(dir.resolve(id + ".json"));
  }

  /**
   * The flow in {@code source} if hot reload would take it: it parses and has no validation errors (warnings
   * pass); else a {@link FlowException} with every problem. Publishing checks with this too.
   */
  public Flow checked(String name, byte[] source) throws FlowException {
    Flow flow = parser.parse(name, source);
    List<String> errors = validator.check(name, flow).stream()
        .filter(f -> f.severity() == Finding.Severity.ERROR).map(Finding::toString).toList();
    if (!errors.isEmpty()) {
      throw new FlowException(errors);
    }
    return flow;
  }

  /** The validator this watcher checks with (it knows the deployment's SIP domain). */
  public FlowValidator validator() {
    return validator;
  }

  /** Installs the file's flow if it passes; returns the flow id the file now stands for. */
  private String load(Path file, Seen before) {
    String previous = before == null ? null : before.flowId();
    try {
      byte[] source = Files.readAllBytes(file);
      Flow flow = checked(file.getFileName().toString(), source);
      List<String> problems = registry.install(flow, Instant.now());
      if (!problems.isEmpty()) {
        LOG.error("flow.rejected file={} problems={} (the previous version keeps serving)", file, problems);
        metrics.reload(false);
        return previous;
      }
      shared.save(flow.id(), flow.version(), source);
      installed.accept(flow, source);
      LOG.info("flow.loaded flow={} version={} file={} numbers={}", flow.id(), flow.version(), file, flow.numbers());
      metrics.loaded(flow.id());
      return flow.id();
    } catch (FlowException e) {
      LOG.error("flow.rejected file={} problems={} (the previous version keeps serving)", file, e.problems());
      metrics.reload(false);
      return previous;
    } catch (IOException e) {
      LOG.error("flow.rejected file={} cannot read: {}", file, e.getMessage());
      return previous;
    }
  }
}
