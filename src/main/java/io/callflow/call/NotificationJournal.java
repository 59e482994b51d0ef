package io.callflow.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callflow.flow.CallIds;
import io.callflow.flow.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications (/recordingReady, /sessionCompleted, /callAnswered, alarms) and /callEvent that arrive while the
 * session store cannot be reached are kept here, on local disk (appended and fsynced before the answer), and
 * applied to their calls once the store answers again. The mediaservice documents no retry of a callback (seed 004
 * is silent on timeouts, retries and non-200 answers), so refusing one would lose it: keeping it is the only way
 * an answer 200 stays true. A notification that cannot be kept either is refused with 503.
 */
public final class NotificationJournal {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.call");
  private static final SealedJson<Event> EVENTS = new SealedJson<>(Event.class);
  /** A kept notification that still cannot be applied after this long is given up (logged, counted). */
  static final Duration MAX_AGE = Duration.ofMinutes(30);

  private final Vertx vertx;
  private final Path dir;
  private final AtomicBoolean busy = new AtomicBoolean();
  /** This instance's file, locked while it is open, so that no other instance replays it under its feet. */
  private Path file;
  private FileChannel channel;
  private Thread writer;

  private NotificationJournal(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /**
   * Opens a journal file of this instance's own in {@code dir} (blocking). Files left by an instance that stopped
   * (their lock is gone with it) are replayed by whichever instance using the directory gets to them first.
   */
  public static NotificationJournal open(Vertx vertx, Path dir) throws IOException {
    Files.createDirectories(dir);
    NotificationJournal journal = new NotificationJournal(vertx, dir);
    journal.openFile();
    journal.writer = new Thread(journal::writeLoop, "callflow-notification-journal");
    journal.writer.setDaemon(true);
    journal.writer.start();
    return journal;
  }

  /** Replays what is kept every {@code interval} (and at once: kept before a restart); returns the timer's id. */
  public long every(CallDriver driver, Duration interval) {
    return vertx.setPeriodic(10, interval.toMillis(), tick -> replay(driver));
  }

  /** Stops writing and lets go of this instance's file (another instance may then replay what it holds). */
  public synchronized void close() {
    writer.interrupt();
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("notification.journal close failed: {}", e.toString());
    }
  }

  /**
   * Appends the callback and syncs it to disk; the result ends (on the caller's context) once it is durable. One
   * writer thread appends what waits and syncs once per group, so an outage's burst costs a few fsyncs, not one
   * per notification.
   */
  Future<Void> keep(CallDriver.Callback callback) {
    byte[] line = (encode(callback, System.currentTimeMillis()) + "\n").getBytes(StandardCharsets.UTF_8);
    io.vertx.core.Context context = vertx.getOrCreateContext();
    io.vertx.core.Promise<Void> kept = io.vertx.core.Promise.promise();
    if (!waiting.offer(new Waiting(line, failure -> context.runOnContext(v -> {
      if (failure == null) {
        kept.complete();
      } else {
        kept.fail(failure);
      }
    })))) {
      return Future.failedFuture("notification journal full");
    }
    return kept.future();
  }

  private record Waiting(byte[] line, java.util.function.Consumer<Throwable> done) {
  }

  private final java.util.concurrent.BlockingQueue<Waiting> waiting =
      new java.util.concurrent.LinkedBlockingQueue<>(100_000);

  private void writeLoop() {
    List<Waiting> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        group.add(waiting.take());
      } catch (InterruptedException e) {
        return;
      }
      waiting.drainTo(group, 4095);
      Throwable failure = null;
      try {
        append(group);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      for (Waiting w : group) {
        w.done().accept(failure);
      }
    }
  }

  private synchronized void append(List<Waiting> group) throws IOException {
    for (Waiting w : group) {
      ByteBuffer buffer = ByteBuffer.wrap(w.line());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
    channel.force(false);
  }

  private void openFile() throws IOException {
    file = dir.resolve("kept-" + java.util.UUID.randomUUID() + ".jsonl");
    channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    channel.lock();
    syncDirectory();
  }

  private void syncDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /**
   * Sets this instance's kept notifications aside (new ones go to a fresh file meanwhile), then applies every file
   * no live instance holds, in order; a line that fails because the store is still away stops that file, and it is
   * tried again next time (applying a notification twice changes nothing: the engine treats repeats as repeats).
   */
  Future<Void> replay(CallDriver driver) {
    if (!busy.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(this::setAside, false)
        .compose(files -> replayFiles(driver, files, 0))
        .onFailure(e -> LOG.warn("notification.replay failed: {}", e.toString()))
        .onComplete(done -> busy.set(false))
        .mapEmpty();
  }

  /** Renames this instance's file aside when it holds anything; answers the files to replay (not its own). */
  private synchronized List<Path> setAside() throws IOException {
    if (channel.size() > 0) {
      channel.close();
      Files.move(file, dir.resolve("aside-" + java.util.UUID.randomUUID() + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
      openFile();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jsonl") && !f.equals(file)).sorted().toList();
    }
  }

  private Future<Void> replayFiles(CallDriver driver, List<Path> files, int at) {
    if (at >= files.size()) {
      return Future.succeededFuture();
    }
    Path next = files.get(at);
    return vertx.executeBlocking(() -> claim(next), false).compose(claimed -> claimed == null
            ? Future.succeededFuture()
            : apply(driver, claimed.lines(), 0).compose(done -> vertx.executeBlocking(() -> {
              if (done) {
                Files.deleteIfExists(next);
                syncDirectory();
              }
              claimed.channel().close();
              return null;
            }, false)))
        .compose(v -> replayFiles(driver, files, at + 1));
  }

  private record Claimed(FileChannel channel, List<String> lines) {
  }

  /** The file's lines under its lock, or null when another instance holds it (or it is gone). */
  private static Claimed claim(Path path) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    }
    try {
      if (channel.tryLock() == null) {
        channel.close();
        return null;
      }
    } catch (java.nio.channels.OverlappingFileLockException heldHere) {
      channel.close();
      return null;
    }
    return new Claimed(channel, Files.readAllLines(path, StandardCharsets.UTF_8));
  }

  /** Applies lines from {@code at} on; true when all are done (applied, or dropped as unreadable or too old). */
  private Future<Boolean> apply(CallDriver driver, List<String> lines, int at) {
    if (at >= lines.size()) {
      return Future.succeededFuture(true);
    }
    Kept kept;
    try {
      kept = decode(lines.get(at));
    } catch (IOException | RuntimeException e) {
      LOG.error("notification.corrupt line={} cause={}", at, e.toString());
      return apply(driver, lines, at + 1);
    }
    if (System.currentTimeMillis() - kept.at() > MAX_AGE.toMillis()) {
      LOG.error("notification.expired callId={} event={} ageMinutes={}", kept.callback().callId(),
          kept.callback().event(), (System.currentTimeMillis() - kept.at()) / 60_000);
      return apply(driver, lines, at + 1);
    }
    return driver.replay(kept.callback())
        .onSuccess(v -> LOG.info("notification.replayed callId={} event={}", kept.callback().callId(),
            kept.callback().event()))
        .compose(v -> apply(driver, lines, at + 1), failure -> Future.succeededFuture(false));
  }

  private record Kept(CallDriver.Callback callback, long at) {
  }

  static String encode(CallDriver.Callback callback, long at) {
    ObjectNode node = SealedJson.JSON.createObjectNode();
    node.put("at", at);
    node.put("kind", callback.kind().name());
    node.put("callId", callback.callId());
    node.put("key", callback.key());
    node.put("replyId", callback.replyId());
    if (callback.ids() != null) {
      node.set("ids", SealedJson.data(callback.ids()));
    }
    node.set("event", EVENTS.write(callback.event()));
    return node.toString();
  }

  private static Kept decode(String line) throws IOException {
    JsonNode node = SealedJson.JSON.readTree(line);
    Event event = EVENTS.read(node.path("event").path("type").asText(), node.path("event").path("data"));
    if (event == null) {
      throw new IOException("unknown event " + node.path("event").path("type"));
    }
    CallIds ids = node.hasNonNull("ids") ? SealedJson.JSON.treeToValue(node.get("ids"), CallIds.class) : null;
    return new Kept(new CallDriver.Callback(io.callflow.flow.CallbackKind.valueOf(node.path("kind").asText()),
        node.path("callId").asText(), node.path("key").asText(null), ids, event, node.path("replyId").asText(null)),
        node.path("at").asLong());
  }
}
