package io.callflow.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every exporter's {@link Journal}. Records handed in from event loops wait in a queue;
 * the thread encodes each once, appends it to every journal, and syncs the journals to disk once per group of
 * records (group commit), so an event loop never waits for a disk and one fsync covers many calls. Reads and
 * cursor commits for the deliveries run on the same thread, in order.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.export");
  /** Records waiting for the disk beyond this are refused (and counted) rather than filling the heap. */
  static final int MAX_QUEUED = 100_000;

  /** Told, from the outbox thread, that {@code entries} were added to a journal and are durable up to {@code end}. */
  interface Listener {
    void appended(String exporter, long end, List<Entry> entries);
  }

  private sealed interface Task {
  }

  /** {@code synced} completes once the record is on disk in every journal (or failed to get there). */
  private record Append(ActivityRecord record, CompletableFuture<Void> synced) implements Task {
  }

  private record Read(String exporter, long from, int max, CompletableFuture<List<Entry>> result) implements Task {
  }

  private record Commit(String exporter, long offset) implements Task {
  }

  private record Flush(CompletableFuture<Void> done) implements Task {
  }

  private record Stop(CompletableFuture<Void> done) implements Task {
  }

  private final Map<String, Journal> journals;
  private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final ReportMetrics metrics;
  private Listener listener = (exporter, end, entries) -> { };
  private Thread thread;

  private Outbox(Map<String, Journal> journals, ReportMetrics metrics) {
    this.journals = journals;
    this.metrics = metrics;
  }

  /** Opens a journal per exporter under {@code dir} (blocking: call it on a worker). */
  static Outbox open(Path dir, List<String> exporters, long segmentBytes, ReportMetrics metrics) throws IOException {
    Map<String, Journal> journals = new LinkedHashMap<>();
    for (String exporter : exporters) {
      journals.put(exporter, Journal.open(dir.resolve(exporter), segmentBytes));
    }
    return new Outbox(journals, metrics);
  }

  /** Where each exporter's unfinished records start and end, and how many there are (blocking: at start-up). */
  record Backlog(long cursor, long end, long count) {
  }

  Backlog backlog(String exporter) throws IOException {
    Journal journal = journals.get(exporter);
    return new Backlog(journal.cursor(), journal.end(), journal.countUnfinished());
  }

  void start(Listener onAppended) {
    this.listener = onAppended;
    thread = new Thread(this::run, "callflow-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a record for every exporter; false when the outbox is closing or full (the record is then lost). */
  boolean submit(ActivityRecord record) {
    return submit(record, new CompletableFuture<>());
  }

  /** {@link #submit(ActivityRecord)}; {@code synced} completes after the fsync that makes the record durable. */
  boolean submit(ActivityRecord record, CompletableFuture<Void> synced) {
    return accepting.get() && tasks.offer(new Append(record, synced));
  }

  CompletableFuture<List<Entry>> read(String exporter, long from, int max) {
    CompletableFuture<List<Entry>> result = new CompletableFuture<>();
    if (!tasks.offer(new Read(exporter, from, max, result))) {
      result.completeExceptionally(new IOException("outbox queue full"));
    }
    return result;
  }

  void commit(String exporter, long offset) {
    tasks.offer(new Commit(exporter, offset));
  }

  /** Refuses new records; completes once every record queued before is on disk. */
  CompletableFuture<Void> flush() {
    accepting.set(false);
    CompletableFuture<Void> done = new CompletableFuture<>();
    put(new Flush(done));
    return done;
  }

  /** Finishes the queued tasks (commits included), closes the journals and ends the thread. */
  CompletableFuture<Void> close() {
    accepting.set(false);
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (thread == null) {
      closeJournals();
      done.complete(null);
    } else {
      put(new Stop(done));
    }
    return done;
  }

  private void put(Task task) {
    try {
      tasks.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Task> batch = new ArrayList<>();
    Map<String, List<Entry>> appended = new LinkedHashMap<>();
    while (true) {
      batch.clear();
      appended.clear();
      try {
        batch.add(tasks.take());
      } catch (InterruptedException e) {
        return;
      }
      tasks.drainTo(batch, 4095);
      List<CompletableFuture<Void>> flushed = new ArrayList<>();
      CompletableFuture<Void> stopped = null;
      for (Task task : batch) {
        if (task instanceof Append append) {
          append(append.record(), appended);
          flushed.add(append.synced());
        } else if (task instanceof Read read) {
          read(read);
        } else if (task instanceof Commit commit) {
          commit(commit);
        } else if (task instanceof Flush flush) {
          flushed.add(flush.done());
        } else if (task instanceof Stop stop) {
          stopped = stop.done();
        }
      }
      sync(appended);
      flushed.forEach(done -> done.complete(null));
      if (stopped != null) {
        closeJournals();
        stopped.complete(null);
        return;
      }
    }
  }

  private void append(ActivityRecord record, Map<String, List<Entry>> appended) {
    byte[] line;
    try {
      line = RecordCodec.encode(record);
    } catch (RuntimeException e) {
      LOG.error("export.dropped callId={} flow={} cause={}", record.callId(), record.flow(), e.toString());
      journals.keySet().forEach(exporter -> metrics.failed(exporter, "dropped"));
      return;
    }
    journals.forEach((exporter, journal) -> {
      try {
        long offset = journal.append(line);
        appended.computeIfAbsent(exporter, e -> new ArrayList<>()).add(new Entry(offset, line, record));
      } catch (IOException e) {
        LOG.error("export.dropped exporter={} callId={} flow={} cause={}", exporter, record.callId(), record.flow(),
            e.toString());
        metrics.failed(exporter, "dropped");
      }
    });
  }

  /**
   * One fsync per journal for the whole group, then the deliveries get the new entries as they are, so a delivery
   * that keeps up never reads back or decodes what was just written.
   */
  private void sync(Map<String, List<Entry>> appended) {
    appended.forEach((exporter, entries) -> {
      Journal journal = journals.get(exporter);
      long began = System.nanoTime();
      try {
        journal.sync();
      } catch (IOException e) {
        LOG.error("export.sync failed exporter={} records={} cause={}", exporter, entries.size(), e.toString());
      }
      metrics.synced(System.nanoTime() - began);
      listener.appended(exporter, journal.end(), List.copyOf(entries));
    });
  }

  private void read(Read read) {
    try {
      List<Entry> entries = new ArrayList<>();
      for (Journal.Line line : journals.get(read.exporter()).read(read.from(), read.max())) {
        entries.add(new Entry(line.offset(), line.bytes(), decode(line)));
      }
      read.result().complete(entries);
    } catch (IOException | RuntimeException e) {
      read.result().completeExceptionally(e);
    }
  }

  private static ActivityRecord decode(Journal.Line line) {
    try {
      return RecordCodec.decode(line.bytes());
    } catch (IOException e) {
      return null;
    }
  }

  private void commit(Commit commit) {
    try {
      journals.get(commit.exporter()).commit(commit.offset());
    } catch (IOException e) {
      // The cursor stays behind: those records are delivered again after a restart, never lost.
      LOG.warn("export.commit failed exporter={} cause={}", commit.exporter(), e.toString());
    }
  }

  private void closeJournals() {
    journals.forEach((exporter, journal) -> {
      try {
        journal.close();
      } catch (IOException e) {
        LOG.warn("export.close failed exporter={} cause={}", exporter, e.toString());
      }
    });
  }
}
