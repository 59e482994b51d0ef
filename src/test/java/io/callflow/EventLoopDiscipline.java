package io.callflow;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails any test during which an event loop was held too long. Every test's Vert.x (from VertxExtension) reports a
 * loop busy for over 500 ms (src/test/resources/vertx-options.json, a quarter of Vert.x's default), so code that
 * blocks — a file read, a sleep, a synchronous wait — fails the build instead of passing slowly. Registered for all
 * tests through junit-platform.properties.
 */
public final class EventLoopDiscipline implements BeforeEachCallback, AfterEachCallback {

  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EventLoopDiscipline.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(blocked);
    context.getStore(NAMESPACE).put("blocked", blocked);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    ListAppender<ILoggingEvent> blocked = context.getStore(NAMESPACE).remove("blocked", ListAppender.class);
    ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(blocked);
    List<String> warnings = blocked.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(message -> message.contains("vert.x-eventloop")).toList();
    if (!warnings.isEmpty()) {
      throw new AssertionError("an event loop was blocked during the test: " + warnings);
    }
  }
}
