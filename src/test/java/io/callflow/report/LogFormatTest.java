package io.callflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static List<String> log(String format) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = System.out;
    // The console appender writes to whatever System.out is when it writes, as in the server.
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return log(context, format, out);
    } finally {
      System.setOut(console);
    }
  }

  private static List<String> log(LoggerContext context, String format, ByteArrayOutputStream out) {
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%-5level %logger{20} %msg%n");
    pattern.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setEncoder(pattern);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);

    LogFormat.apply(context, format);
    Logger call = context.getLogger("callflow.call");
    call.info("call.ended callId={} flow={} state={} reason={}", "c-1", "support", "main", "callerHangup:main");
    call.warn("export.failed exporter={} records={} cause={}", "cx", 3, "Connection refused: /127.0.0.1:9");
    call.info("plain words, no event");
    call.info("flow.loaded flow={} numbers={} ratio={} secret={} note={}", "support",
        List.of("+46850001000", "+46850001001"), 0.25, true, null);
    context.stop();
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  @DisplayName("log.format json: one JSON object a line, with the event name and its key=value pairs as fields")
  void json() {
    List<String> lines = log("json");
    assertEquals(4, lines.size(), lines.toString());
    JsonObject ended = new JsonObject(lines.get(0));
    assertEquals("call.ended", ended.getString("event"));
    assertEquals("c-1", ended.getString("callId"));
    assertEquals("support", ended.getString("flow"));
    assertEquals("main", ended.getString("state"));
    assertEquals("callerHangup:main", ended.getString("reason"));
    assertEquals("INFO", ended.getString("level"));
    assertEquals("callflow.call", ended.getString("logger_name"));
    assertEquals("call.ended callId=c-1 flow=support state=main reason=callerHangup:main", ended.getString("message"));
    JsonObject failed = new JsonObject(lines.get(1));
    assertEquals("export.failed", failed.getString("event"));
    assertEquals("Connection refused: /127.0.0.1:9", failed.getString("cause"), "a value runs to the next key");
    assertEquals(3, failed.getValue("records"), "a number is a JSON number");
    assertEquals("WARN", failed.getString("level"));
    JsonObject plain = new JsonObject(lines.get(2));
    assertFalse(plain.containsKey("event"), plain.encode());
    JsonObject loaded = new JsonObject(lines.get(3));
    assertEquals(new io.vertx.core.json.JsonArray().add("+46850001000").add("+46850001001"), loaded.getJsonArray("numbers"));
    assertEquals(0.25, loaded.getDouble("ratio"));
    assertEquals(Boolean.TRUE, loaded.getValue("secret"));
    assertTrue(loaded.containsKey("note") && loaded.getValue("note") == null);
  }

  @Test
  @DisplayName("logback.xml's text lines start with the date, time and zone offset")
  void textHasDate() throws Exception {
    String config = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/logback.xml"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<pattern>%d\\{([^}]*)}").matcher(config);
    assertTrue(m.find(), config);
    String stamp = new ch.qos.logback.core.util.CachingDateFormatter(m.group(1)).format(0L);
    assertTrue(stamp.matches("19(69|70)-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000(Z|[+-]\\d\\d:\\d\\d)"), stamp);
  }

  @Test
  @DisplayName("log.level sets the root level; io.netty keeps its own")
  void level() {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level before = root.getLevel();
    try {
      LogFormat.level("warn");
      assertEquals(ch.qos.logback.classic.Level.WARN, root.getLevel());
      LogFormat.level("debug");
      assertFalse(context.getLogger("callflow.call").isTraceEnabled());
      assertTrue(context.getLogger("callflow.call").isDebugEnabled());
    } finally {
      root.setLevel(before);
    }
  }

  @Test
  @DisplayName("log.format text keeps the pattern of logback.xml")
  void text() {
    assertEquals("INFO  callflow.call call.ended callId=c-1 flow=support state=main reason=callerHangup:main",
        log("text").get(0));
  }
}
