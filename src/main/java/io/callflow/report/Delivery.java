package io.callflow.report;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one exporter's outbox, oldest first, a batch at a time: loads records from the journal, sends them,
 * and moves the journal's cursor past every record that is finished. A record is finished when the target has it,
 * refused it for good, or it grew older than the maximum age. A batch that the target could not take is sent again
 * after a backoff that doubles up to its bound and resets on success. Every field is touched only on
 * {@code context}, so no locks are needed.
 */
final class Delivery {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.export");
  static final int BATCH = 32;
  private static final int READ_AHEAD = 256;
  /** Records held in memory waiting to be sent; beyond this, new ones wait on disk only and are read back later. */
  private static final int MAX_READY = 1024;
  private static final long COMMIT_EVERY_MILLIS = 200;

  private final String exporter;
  private final Target target;
  private final Outbox outbox;
  private final Context context;
  private final Clock clock;
  private final long maxAgeMillis;
  private final long backoffMin;
  private final long backoffMax;
  private final ReportMetrics metrics;
  private final AtomicLong backlog;

  /** Loaded from the journal and waiting to be sent, by offset. */
  private final TreeMap<Long, Entry> ready = new TreeMap<>();
  /** Loaded and not finished (waiting or being sent): the lowest is where the cursor may move to. */
  private final TreeSet<Long> open = new TreeSet<>();
  private long loaded;
  private long durableEnd;
  private long committed;
  private boolean reading;
  private boolean sending;
  private boolean commitScheduled;
  private long backoff;
  /** System.nanoTime() before which no batch is sent (the clock is only for the records' age). */
  private long pausedUntilNanos;
  private long wakeTimer = -1;
  private Promise<Void> drained;
  private boolean stopped;

  Delivery(String exporter, Target target, Outbox outbox, Context context, Clock clock, Duration maxAge,
           Duration backoffMin, Duration backoffMax, ReportMetrics metrics, Outbox.Backlog start) {
    this.exporter = exporter;
    this.target = target;
    this.outbox = outbox;
    this.context = context;
    this.clock = clock;
    this.maxAgeMillis = maxAge.toMillis();
    this.backoffMin = backoffMin.toMillis();
    this.backoffMax = backoffMax.toMillis();
    this.metrics = metrics;
    this.loaded = start.cursor();
    this.committed = start.cursor();
    this.durableEnd = start.end();
    this.backlog = metrics.backlog(exporter, start.count());
    this.pausedUntilNanos = System.nanoTime();
  }

  /**
   * From the outbox thread: {@code entries} are on disk, up to {@code end}. When this delivery has read everything
   * before them and holds few records, it takes them as they are; otherwise it reads them from the journal later.
   */
  void appended(long end, List<Entry> entries) {
    backlog.addAndGet(entries.size());
    context.runOnContext(v -> {
      durableEnd = Math.max(durableEnd, end);
      if (!entries.isEmpty() && entries.get(0).offset() == loaded && ready.size() < MAX_READY) {
        take(entries);
      }
      pump();
    });
  }

  /** Holds entries to send, skipping any already held (a read from the journal and a hand-over can overlap). */
  private void take(List<Entry> entries) {
    for (Entry entry : entries) {
      if (entry.offset() >= loaded) {
        open.add(entry.offset());
        ready.put(entry.offset(), entry);
        loaded = next(entry);
      }
    }
  }

  void start() {
    context.runOnContext(v -> pump());
  }

  /**
   * Shutdown: sends what is already waiting while the target takes it (no new retries), lets the batch in flight
   * end, and stops within {@code bound}; what is left stays in the outbox for the next start.
   */
  Future<Void> drain(Duration bound) {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      drained = promise;
      context.owner().setTimer(Math.max(1, bound.toMillis()), t -> stop());
      pump();
    });
    return promise.future();
  }

  private void pump() {
    if (stopped) {
      return;
    }
    if (!sending && !ready.isEmpty()) {
      long wait = (pausedUntilNanos - System.nanoTime()) / 1_000_000;
      if (wait <= 0) {
        send();
      } else if (drained != null) {
        stop();
        return;
      } else {
        wakeIn(wait);
      }
    }
    if (ready.size() < BATCH && !reading && loaded < durableEnd) {
      load();
    }
    if (drained != null && !sending && !reading && ready.isEmpty() && loaded >= durableEnd) {
      stop();
    }
  }

  private void load() {
    reading = true;
    Future.fromCompletionStage(outbox.read(exporter, loaded, READ_AHEAD), context).onComplete(read -> {
      reading = false;
      if (read.failed()) {
        LOG.error("export.read failed exporter={} offset={} cause={}", exporter, loaded, read.cause().toString());
        wakeIn(backoffMax);
        return;
      }
      if (read.result().isEmpty() && loaded < durableEnd) {
        // The journal ends before durableEnd only if a segment was lost; nothing more can be read.
        loaded = durableEnd;
      }
      take(read.result());
      pump();
    });
  }

  /** Where the line after {@code entry} starts: its offset, its bytes and the line break. */
  private static long next(Entry entry) {
    return entry.offset() + entry.line().length + 1;
  }

  private void send() {
    List<Entry> batch = new ArrayList<>(BATCH);
    long now = clock.millis();
    while (batch.size() < BATCH && !ready.isEmpty()) {
      Entry entry = ready.pollFirstEntry().getValue();
      if (entry.record() == null) {
        LOG.error("export.unreadable exporter={} offset={} line={}", exporter, entry.offset(),
            new String(entry.line(), java.nio.charset.StandardCharsets.UTF_8));
        metrics.failed(exporter, "unreadable");
        finish(entry);
      } else if (now - entry.record().endedAt() > maxAgeMillis) {
        LOG.warn("export.expired exporter={} callId={} flow={} id={} ageHours={}", exporter, entry.record().callId(),
            entry.record().flow(), entry.id(), (now - entry.record().endedAt()) / 3_600_000);
        metrics.failed(exporter, "expired");
        finish(entry);
      } else {
        batch.add(entry);
      }
    }
    if (batch.isEmpty()) {
      pump();
      return;
    }
    sending = true;
    long began = System.nanoTime();
    target.send(batch).onComplete(done -> {
      sending = false;
      if (stopped) {
        return;
      }
      List<Result> results = done.succeeded() ? done.result() : null;
      metrics.sent(exporter, System.nanoTime() - began);
      String retryCause = null;
      int retries = 0;
      for (int i = 0; i < batch.size(); i++) {
        Entry entry = batch.get(i);
        Result result = results == null ? new Result.Retry(String.valueOf(done.cause())) : results.get(i);
        if (result instanceof Result.Delivered) {
          metrics.delivered(exporter);
          LOG.debug("export.delivered exporter={} callId={} flow={} id={}", exporter, entry.record().callId(),
              entry.record().flow(), entry.id());
          finish(entry);
        } else if (result instanceof Result.Rejected rejected) {
          // A record the target refuses for good is kept in the log with its payload, for someone to look at.
          LOG.error("export.rejected exporter={} callId={} flow={} id={} cause={} payload={}", exporter,
              entry.record().callId(), entry.record().flow(), entry.id(), rejected.why(), rejected.payload());
          metrics.failed(exporter, "rejected");
          finish(entry);
        } else {
          metrics.failed(exporter, "retry");
          retryCause = ((Result.Retry) result).why();
          retries++;
          ready.put(entry.offset(), entry);
        }
      }
      if (retries == 0) {
        backoff = 0;
      } else {
        backoff = backoff == 0 ? backoffMin : Math.min(backoffMax, backoff * 2);
        pausedUntilNanos = System.nanoTime() + backoff * 1_000_000;
        LOG.warn("export.failed exporter={} records={} backlog={} retryInMs={} cause={}", exporter, retries,
            backlog.get(), backoff, retryCause);
      }
      pump();
    });
  }

  private void finish(Entry entry) {
    open.remove(entry.offset());
    backlog.decrementAndGet();
    if (!commitScheduled) {
      commitScheduled = true;
      context.owner().setTimer(COMMIT_EVERY_MILLIS, t -> {
        commitScheduled = false;
        commit();
      });
    }
  }

  private void commit() {
    long cursor = open.isEmpty() ? loaded : open.first();
    if (cursor > committed) {
      committed = cursor;
      outbox.commit(exporter, cursor);
    }
  }

  private void wakeIn(long millis) {
    if (wakeTimer >= 0) {
      return;
    }
    wakeTimer = context.owner().setTimer(Math.max(1, millis), t -> {
      wakeTimer = -1;
      pump();
    });
  }

  private void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (wakeTimer >= 0) {
      context.owner().cancelTimer(wakeTimer);
    }
    commit();
    if (drained != null) {
      drained.tryComplete();
    }
  }
}
