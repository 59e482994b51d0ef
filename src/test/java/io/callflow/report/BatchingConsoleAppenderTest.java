package io.callflow.report;

import static io.callflow.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final AtomicInteger writes = new AtomicInteger();
  private final PrintStream console = System.out;
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void captureStandardOutput() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8) {
      @Override
      public void write(byte[] bytes, int offset, int length) {
        writes.incrementAndGet();
        super.write(bytes, offset, length);
      }
    });
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
  }

  @AfterEach
  void restore() {
    context.stop();
    System.setOut(console);
  }

  private BatchingConsoleAppender appender(int queueSize, long flushMillis) {
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%-5level %msg%n");
    pattern.start();
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    appender.setContext(context);
    appender.setEncoder(pattern);
    appender.setQueueSize(queueSize);
    appender.setFlushMillis(flushMillis);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  @DisplayName("queued lines are written in order, all of them in one write, and stop() writes out what waits")
  void oneWritePerBatch() {
    BatchingConsoleAppender appender = appender(8192, 3_600_000);
    Logger log = context.getLogger("callflow.call");
    IntStream.range(0, 200).forEach(i -> log.info("call.started callId=c-{}", i));
    assertEquals(List.of(), lines(), "nothing is written on the logging thread");
    appender.stop();
    assertEquals(IntStream.range(0, 200).mapToObj(i -> "INFO  call.started callId=c-" + i).toList(), lines());
    assertEquals(1, writes.get(), "200 lines, one write");
  }

  @Test
  @DisplayName("an attached filter decides on the writer thread, not on the thread that logs; the lines it denies "
      + "are not written")
  void filtersDecideOnTheWriterThread() throws InterruptedException {
    BatchingConsoleAppender appender = appender(8192, 10);
    List<String> deciders = new java.util.concurrent.CopyOnWriteArrayList<>();
    appender.addFilter(new Filter<>() {
      @Override
      public FilterReply decide(ILoggingEvent event) {
        deciders.add(Thread.currentThread().getName());
        return event.getFormattedMessage().contains("held") ? FilterReply.DENY : FilterReply.NEUTRAL;
      }
    });
    Logger log = context.getLogger("callflow.call");
    log.info("call.started callId=held-1");
    log.info("call.started callId=kept-1");
    eventually("the kept line is written", () -> lines().equals(List.of("INFO  call.started callId=kept-1")));
    assertEquals(List.of("callflow-log-writer", "callflow-log-writer"), deciders);
  }

  @Test
  @DisplayName("the writer thread writes queued lines within its interval, without a stop")
  void writerWrites() throws InterruptedException {
    appender(8192, 10);
    context.getLogger("callflow.call").info("call.ended callId=c-1 reason=completed");
    eventually("the line is written", () -> lines().equals(List.of("INFO  call.ended callId=c-1 reason=completed")));
  }

  @Test
  @DisplayName("a full queue drops INFO lines, counts them, and still keeps every WARN and ERROR")
  void fullQueueDropsInfoOnly() {
    BatchingConsoleAppender appender = appender(3, 3_600_000);
    Logger log = context.getLogger("callflow.call");
    for (int i = 0; i < 5; i++) {
      log.info("info {}", i);
    }
    log.warn("warn 1");
    log.error("error 1");
    appender.stop();
    assertEquals(List.of("INFO  info 0", "INFO  info 1", "INFO  info 2", "WARN  warn 1", "ERROR error 1"), lines());
    assertEquals(2, appender.dropped());
  }

  @Test
  @DisplayName("log.format json switches this appender to JSON lines like any console appender")
  void json() {
    BatchingConsoleAppender appender = appender(8192, 3_600_000);
    LogFormat.apply(context, "json");
    context.getLogger("callflow.call").info("call.ended callId={} reason={}", "c-2", "completed");
    appender.stop();
    io.vertx.core.json.JsonObject line = new io.vertx.core.json.JsonObject(lines().get(0));
    assertEquals("call.ended", line.getString("event"));
    assertEquals("c-2", line.getString("callId"));
  }
}
