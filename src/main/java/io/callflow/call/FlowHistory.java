package io.callflow.call;

import io.callflow.flow.Flow;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drafts and published versions of each flow, on disk under {@code <flows>/.history/<id>/}, so they survive a
 * restart. A draft ({@code draft.json}) serves no call. Publishing validates a flow and installs it through the
 * {@link FlowWatcher}, exactly as hot reload does, and the watcher tells this history of every version it installs:
 * a file edited by hand in the flows directory becomes a published version too (author {@value #HAND_EDIT}).
 * Each published version is kept as {@code NNNNNN.json} (the bytes) and {@code NNNNNN.meta.json} (number, version,
 * time, author, comment). Rolling back publishes an earlier version's bytes again, as a new number. Blocking.
 */
public final class FlowHistory {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.flows");
  /** The author of versions that came from a file written in the flows directory, not from a publish. */
  public static final String HAND_EDIT = "flows/";
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final String DRAFT = "draft.json";

  /** One published version of a flow. */
  public record Published(int number, String version, Instant publishedAt, String author, String comment) {
    JsonObject json() {
      return new JsonObject().put("number", number).put("version", version).put("publishedAt", publishedAt.toString())
          .put("author", author).put("comment", comment);
    }

    static Published of(JsonObject json) {
      return new Published(json.getInteger("number"), json.getString("version"),
          Instant.parse(json.getString("publishedAt")), json.getString("author"), json.getString("comment"));
    }
  }

  /** A saved draft: its text as the operator left it (valid or not) and when. */
  public record Draft(byte[] source, Instant savedAt) {
  }

  /** The flow passed every check but could not be installed (another flow answers one of its numbers). */
  public static final class NotInstalled extends Exception {
    NotInstalled(String message) {
      super(message);
    }
  }

  private record Attribution(String author, String comment) {
  }

  private final Path dir;
  private final FlowWatcher watcher;
  private final FlowRegistry registry;
  /** Who publishes which flow version right now, by "id@version", for the watcher's report of the install. */
  private final Map<String, Attribution> publishing = new ConcurrentHashMap<>();

  /** Keeps the history of the flows {@code watcher} installs into {@code registry}, under {@code dir}. */
  public FlowHistory(Path dir, FlowWatcher watcher, FlowRegistry registry) {
    this.dir = dir;
    this.watcher = watcher;
    this.registry = registry;
    watcher.onInstalled(this::installed);
  }

  /** Where the history of the flows in {@code flowsDir} is kept. */
  public static Path beside(Path flowsDir) {
    return flowsDir.resolve(".history");
  }

  /** Every published version of the flow, oldest first. */
  public synchronized List<Published> published(String id) {
    Path folder = folder(id);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<Published> all = new ArrayList<>();
      for (Path meta : files.filter(f -> f.getFileName().toString().endsWith(".meta.json")).sorted().toList()) {
        all.add(Published.of(new JsonObject(Files.readString(meta))));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of published version {@code number}. */
  public synchronized Optional<byte[]> source(String id, int number) {
    Path file = folder(id).resolve(name(number) + ".json");
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized Optional<Draft> draft(String id) {
    Path file = folder(id).resolve(DRAFT);
    try {
      return Files.exists(file) ? Optional.of(new Draft(Files.readAllBytes(file),
          Files.getLastModifiedTime(file).toInstant())) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves the draft whole, whatever it holds: a draft may be unfinished. */
  public synchronized Draft saveDraft(String id, byte[] source) throws IOException {
    Path folder = Files.createDirectories(folder(id));
    writeWhole(folder.resolve(DRAFT), source);
    return draft(id).orElseThrow();
  }

  public synchronized boolean dropDraft(String id) throws IOException {
    return Files.deleteIfExists(folder(id).resolve(DRAFT));
  }

  /**
   * Validates {@code source} as flow {@code id} and installs it as hot reload does (the file in the flows directory
   * is written whole, then loaded); the draft is dropped. Throws {@link FlowException} with every error.
   */
  public Published publish(String id, byte[] source, String author, String comment)
      throws FlowException, NotInstalled, IOException {
    Flow flow = watcher.checked(id + ".json", source);
    if (!flow.id().equals(id)) {
      throw new FlowException(List.of(id + ".json:/id: the flow's id '" + flow.id() + "' differs from '" + id + "'"));
    }
    attributed(id, flow.version(), author, comment == null || comment.isBlank() ? "published" : comment,
        () -> watcher.write(id, source));
    if (!registry.current(id).map(Flow::version).orElse("").equals(flow.version())) {
      throw new NotInstalled("not installed: another flow already answers one of its numbers");
    }
    dropDraft(id);
    List<Published> all = published(id);
    return all.get(all.size() - 1);
  }

  /** A write of a flow's file through the watcher. */
  public interface Write {
    void run() throws IOException;
  }

  /**
   * Runs {@code write}, which installs {@code version} of flow {@code id} through the watcher, so that the version
   * is recorded as {@code author}'s with {@code comment} rather than as a hand edit (PUT /api/flows/{id} does).
   */
  public void attributed(String id, String version, String author, String comment, Write write) throws IOException {
    String key = id + "@" + version;
    publishing.put(key, new Attribution(author, comment));
    try {
      write.run();
    } finally {
      publishing.remove(key);
    }
  }

  /** Publishes published version {@code number} again, as a new version. */
  public Published rollback(String id, int number, String author, String comment)
      throws FlowException, NotInstalled, IOException {
    byte[] source = source(id, number).orElseThrow(() -> new FlowException(List.of("no published version " + number)));
    return publish(id, source, author, comment == null || comment.isBlank() ? "rollback to #" + number : comment);
  }

  /** The watcher installed {@code flow} from its file: a new published version unless it is the latest already. */
  private synchronized void installed(Flow flow, byte[] source) {
    if (!ID.matcher(flow.id()).matches()) {
      return;
    }
    try {
      List<Published> all = published(flow.id());
      Published last = all.isEmpty() ? null : all.get(all.size() - 1);
      Attribution who = publishing.remove(flow.id() + "@" + flow.version());
      if (who == null && last != null && last.version().equals(flow.version())) {
        return;
      }
      if (who == null) {
        who = new Attribution(HAND_EDIT, last == null ? "found in the flows directory" : "edited in the flows directory");
      }
      Published entry = new Published(last == null ? 1 : last.number() + 1, flow.version(), Instant.now(),
          who.author(), who.comment());
      Path folder = Files.createDirectories(folder(flow.id()));
      writeWhole(folder.resolve(name(entry.number()) + ".json"), source);
      writeWhole(folder.resolve(name(entry.number()) + ".meta.json"),
          entry.json().encodePrettily().getBytes(StandardCharsets.UTF_8));
      LOG.info("flow.published flow={} number={} version={} author={}", flow.id(), entry.number(), flow.version(),
          entry.author());
    } catch (IOException | RuntimeException e) {
      LOG.error("flow.history failed flow={} version={}: {}", flow.id(), flow.version(), e.toString());
    }
  }

  private Path folder(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a flow id: " + id);
    }
    return dir.resolve(id);
  }

  private static String name(int number) {
    return String.format("%06d", number);
  }

  private static void writeWhole(Path file, byte[] bytes) throws IOException {
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(temporary, bytes);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
