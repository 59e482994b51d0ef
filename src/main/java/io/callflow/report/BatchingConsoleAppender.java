package io.callflow.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The console appender of logback.xml: a logging thread (an event loop) only queues the event; a writer thread
 * formats what has queued every {@code flushMillis} and writes it to standard output in one write.
 *
 * <p>Why not logback's AsyncAppender in front of a ConsoleAppender: its queue wakes the waiting writer for every
 * line, and the console writes and flushes every line, so a line cost a thread wake-up and a system call, about a
 * tenth of a callback's CPU at full load. Here a line costs a queue insert.
 *
 * <p>Lines keep their order. When {@code queueSize} lines wait, further DEBUG and INFO lines are dropped (and
 * counted, see {@link #dropped()}) rather than growing the heap; WARN and ERROR are always kept. {@link #stop()}
 * (logback stops its context at shutdown) writes out what is queued. Attached filters decide on the writer thread
 * (see {@link #getFilterChainDecision}).
 */
public final class BatchingConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private int queueSize = 8192;
  private long flushMillis = 20;
  private volatile Thread writer;

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setFlushMillis(long flushMillis) {
    this.flushMillis = flushMillis;
  }

  /** DEBUG and INFO lines dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void start() {
    // System.out is looked up at each write, so a redirected System.out (tests) gets the lines; the buffer makes a
    // batch one write.
    setImmediateFlush(false);
    setOutputStream(new BufferedOutputStream(new CurrentSystemOut(), 1 << 16));
    super.start();
    if (!isStarted()) {
      return;
    }
    Thread thread = new Thread(this::writeLoop, "callflow-log-writer");
    thread.setDaemon(true);
    writer = thread;
    thread.start();
  }

  @Override
  public void stop() {
    Thread thread = writer;
    writer = null;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writeQueued();
    super.stop();
  }

  /**
   * The filters attached to this appender decide on the writer thread ({@link #writeQueued}), not here on the
   * logging thread: every line takes the same path on an event loop, so a filter costs it nothing, and code compiled
   * while a filter held lines back (a warm-up's) is not thrown away when it lets them through again.
   */
  @Override
  public FilterReply getFilterChainDecision(ILoggingEvent event) {
    return FilterReply.NEUTRAL;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!isStarted()) {
      return;
    }
    if (queued.get() >= queueSize && !event.getLevel().isGreaterOrEqual(Level.WARN)) {
      dropped.incrementAndGet();
      return;
    }
    // The message, thread name and MDC are taken now, on the thread that logs, as logback's AsyncAppender does.
    event.prepareForDeferredProcessing();
    queue.offer(event);
    queued.incrementAndGet();
  }

  private void writeLoop() {
    while (writer == Thread.currentThread()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushMillis));
      writeQueued();
    }
  }

  /** Formats and writes what has queued, then flushes it: one write per batch. */
  private void writeQueued() {
    if (queue.isEmpty()) {
      return;
    }
    streamWriteLock.lock();
    try {
      OutputStream out = getOutputStream();
      ILoggingEvent event;
      while ((event = queue.poll()) != null) {
        queued.decrementAndGet();
        // A line a filter holds back is formatted all the same: the formatting compiled while lines were held back
        // (a warm-up's) then serves them when they flow again.
        byte[] line = encoder.encode(event);
        if (super.getFilterChainDecision(event) != FilterReply.DENY) {
          out.write(line);
        }
      }
      out.flush();
    } catch (IOException e) {
      addError("could not write log lines", e);
    } finally {
      streamWriteLock.unlock();
    }
  }

  /** Standard output as it is now, so that System.setOut is honoured like logback's ConsoleAppender does. */
  private static final class CurrentSystemOut extends OutputStream {
    @Override
    public void write(int b) {
      System.out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      System.out.write(bytes, offset, length);
    }

    @Override
    public void flush() {
      System.out.flush();
    }
  }
}
