package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The call.ended line names the state the call was in when it ended. */
@ExtendWith(VertxExtension.class)
class CallEndedLogTest {

  @Test
  @DisplayName("call.ended logs the final state: the menu hung up in, the hangup state, the forward")
  void finalState(Vertx vertx) {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Logger logger = (Logger) LoggerFactory.getLogger("callflow.call");
    logger.addAppender(lines);
    ch.qos.logback.classic.Level level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      Server server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null),
          new MutableClock(MONDAY_10)).await();
      Simulator simulator = new Simulator(vertx, SimConfig.local(server.port()).compressed(200)
          .withCallee("sip:internet@pbx.test", new Callee.Answer(100, 200)));
      simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("press 2; press 1")).await();
      simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("hangup")).await();
      simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("press 3; press 7654321#")).await();
      simulator.inbound("+46701234567", "+46800000001", CallerScript.parse("press 3; hangup")).await();
      simulator.close();
      server.stop().await();
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }
    List<String> ended = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("call.ended")).map(m -> m.replaceAll("callId=\\S+ ", "")).toList();
    assertEquals(List.of(
        "call.ended flow=test-line state=internet reason=transferred",
        "call.ended flow=test-line state=main reason=callerHangup:main",
        "call.ended flow=test-line state=goodbye reason=hangup:goodbye",
        "call.ended flow=test-line state=account reason=callerHangup:account"), ended);
  }
}
