package io.callflow.sim;

import static io.callflow.sim.FakeApp.hangup;
import static io.callflow.sim.FakeApp.play;
import static io.callflow.sim.FakeApp.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Answers the vendor would raise an alarm for: recorded on the call, which ends with /sessionCompleted all the same. */
@ExtendWith(VertxExtension.class)
class ProtocolErrorTest {

  private Vertx vertx;
  private FakeApp app;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    app = FakeApp.start(vertx);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private Transcript run(String script) {
    Simulator simulator = new Simulator(vertx, SimConfig.local(app.port()).compressed(100).withTimeout(300));
    try {
      return simulator.inbound("+46701234567", "+46800000001", script).await();
    } finally {
      simulator.close();
    }
  }

  static Stream<Arguments> brokenAnswers() {
    Function<JsonObject, Object> badPhrase = body -> play(new JsonObject().put("format", "midi"))
        .put("replyId", body.getString("replyId"));
    return Stream.of(
        Arguments.of("newCall", (Function<JsonObject, Object>) b -> new JsonObject().put("action", "transfer"),
            "newCall response with unknown action 'transfer'"),
        Arguments.of("newCall", (Function<JsonObject, Object>) b -> new JsonObject().put("dropCode", "busy"),
            "newCall response without action"),
        Arguments.of("newCall", (Function<JsonObject, Object>) b -> new JsonObject().put("action", "call"),
            "a call answer to newCall has no destAddr"),
        Arguments.of("newCall", (Function<JsonObject, Object>) b -> new FakeApp.Raw(200, ""),
            "newCall answered an empty body"),
        Arguments.of("newCall", (Function<JsonObject, Object>) b -> new FakeApp.Raw(200, "<html>ok</html>"),
            "newCall answered something that is not a JSON object"),
        Arguments.of("getIvrCommand", (Function<JsonObject, Object>) b -> new FakeApp.Raw(500, "oops"),
            "getIvrCommand answered HTTP 500 oops"),
        Arguments.of("getIvrCommand", (Function<JsonObject, Object>) b -> new FakeApp.Raw(200, ""),
            "Empty body in getIvrCommand response"),
        Arguments.of("getIvrCommand", (Function<JsonObject, Object>) b -> new JsonObject(),
            "Empty body in getIvrCommand response"),
        Arguments.of("getIvrCommand", badPhrase, "getIvrCommand answer has a phrase with unknown format 'midi'"),
        Arguments.of("getIvrCommand", (Function<JsonObject, Object>) b -> FakeApp.SILENCE, "getIvrCommand failed: "),
        Arguments.of("getIvrCommand", (Function<JsonObject, Object>) b -> play(new JsonObject().put("format", "file"))
            .put("replyId", b.getString("replyId")), "file phrase without fileName"));
  }

  @ParameterizedTest(name = "{0} answered badly → {2}")
  @MethodSource("brokenAnswers")
  @DisplayName("a broken answer is a protocol error that ends the call, and the session is still completed")
  void broken(String callback, Function<JsonObject, Object> answer, String error) {
    app.on(callback, answer);
    Transcript t = run("press 1");
    assertEquals(1, t.protocolErrors().size(), t.toString());
    assertTrue(t.protocolErrors().get(0).startsWith(error), t.protocolErrors().get(0));
    assertEquals("error", t.outcome());
    assertEquals(List.of(callback.equals("newCall") ? "newCall" : "getIvrCommand", "sessionCompleted"),
        app.names().subList(app.names().size() - 2, app.names().size()));
    assertEquals("error", app.nth("sessionCompleted", 1).getString("reason"));
  }

  @Test
  @DisplayName("a getIvrCommand answer without the replyId echo is recorded, and the call goes on")
  void missingEcho() {
    app.on("getIvrCommand", body -> app.bodies("getIvrCommand").size() == 1 ? play(say("Hello."))
        : hangup(body, say("Bye.")));
    Transcript t = run("");
    assertEquals(List.of("getIvrCommand answer does not echo the replyId"), t.protocolErrors());
    assertEquals(List.of("Hello.", "Bye."), t.heard());
    assertEquals("ivr-hangup", t.outcome());
  }

  @Test
  @DisplayName("a callEvent answer without action after the caller hung up is recorded")
  void callEventWithoutAction() {
    app.on("getIvrCommand", body -> play(say("Hold on.")).put("getIVRCommandAfter", 30)
        .put("replyId", body.getString("replyId"))).on("callEvent", body -> new JsonObject());
    Transcript t = run("wait 5s; hangup");
    assertEquals(List.of("No action provided in callEvent response"), t.protocolErrors());
    assertEquals("caller-hangup", t.outcome());
  }

  @Test
  @DisplayName("a callEvent answer with an unknown action after a forward ends the call as an error")
  void unknownCallEventAction() {
    app.on("newCall", body -> FakeApp.call("sip:x@pbx", 20))
        .on("callEvent", body -> new JsonObject().put("action", "connect").put("destAddr", new JsonArray()));
    Simulator simulator = new Simulator(vertx, SimConfig.local(app.port()).compressed(100)
        .withCallee("*", new Callee.Busy()));
    Transcript t = simulator.inbound("+46701234567", "+46800000001", "").await();
    simulator.close();
    assertEquals(List.of("callEvent response with unknown action 'connect'"), t.protocolErrors());
    assertEquals(Map.of("event", "calledPartyFailure", "sipResponseCode", 486), Map.of("event",
        app.nth("callEvent", 1).getString("event"), "sipResponseCode", app.nth("callEvent", 1).getInteger("sipResponseCode")));
  }
}
