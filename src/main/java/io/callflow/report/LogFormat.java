package io.callflow.report;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} at start-up: {@code text} keeps logback.xml's pattern; {@code json} gives every
 * console appender the Logstash JSON encoder (one object per line: @timestamp, level, logger_name, message …)
 * plus {@link EventFields}, which lifts the event name and its key=value pairs out of the message.
 */
public final class LogFormat {

  private LogFormat() {
  }

  public static void apply(String format) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, format);
    }
  }

  /**
   * Applies {@code log.level} to the root logger; loggers logback.xml sets on their own (io.netty at WARN) keep
   * their level.
   */
  public static void level(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.toLevel(level));
    }
  }

  static void apply(LoggerContext context, String format) {
    if (!"json".equals(format)) {
      return;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        useJson(context, it.next());
      }
    }
  }

  private static void useJson(LoggerContext context, Appender<ILoggingEvent> appender) {
    if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
      for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
        useJson(context, it.next());
      }
    } else if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
      LogstashEncoder encoder = new LogstashEncoder();
      encoder.setContext(context);
      encoder.addProvider(new EventFields());
      encoder.start();
      output.stop();
      output.setEncoder(encoder);
      output.start();
    }
  }
}
