package io.callflow.sim;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.sim.FakeApp.call;
import static io.callflow.sim.FakeApp.dtmf;
import static io.callflow.sim.FakeApp.file;
import static io.callflow.sim.FakeApp.menu;
import static io.callflow.sim.FakeApp.play;
import static io.callflow.sim.FakeApp.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One simulated call at a time against a fake callflow: the callbacks it sends and how it obeys the answers. */
@ExtendWith(VertxExtension.class)
class SimulatedCallTest {

  private Vertx vertx;
  private FakeApp app;
  private SimConfig config;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    app = FakeApp.start(vertx);
    config = SimConfig.local(app.port()).compressed(100);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private Transcript run(SimConfig sim, String script) {
    Simulator simulator = new Simulator(vertx, sim);
    try {
      return simulator.inbound(CALLER, LINE, script).await();
    } finally {
      simulator.close();
    }
  }

  private static JsonObject params(JsonObject getIvrCommand) {
    return getIvrCommand.getJsonObject("dtmfParams");
  }

  @Test
  @DisplayName("a menu loop: each collection's keys and reason reach callflow, dtmfMatch never holds the termination key")
  void menuLoop() {
    app.commands(
        menu(dtmf(1, null, true), say("Press 2 for support.")),
        menu(dtmf(10, "#", true), say("Enter your PIN, then hash.")),
        menu(dtmf(4, null, true), file("code-prompt")),
        menu(dtmf(1, null, true), say("Last chance.")));
    Transcript t = run(config, "press 2; press 1234#; press 12; silent");

    List<JsonObject> asks = app.bodies("getIvrCommand");
    assertEquals(5, asks.size(), t.toString());
    assertFalse(asks.get(0).containsKey("dtmfParams") || asks.get(0).containsKey("dtmfBuffer"), "nothing collected yet");
    assertEquals(new JsonObject().put("dtmfMatch", "2").put("reason", "maxDigits").put("encryption", new JsonObject()),
        params(asks.get(1)));
    assertEquals("2", asks.get(1).getString("dtmfBuffer"));
    assertEquals(new JsonObject().put("dtmfMatch", "1234").put("reason", "terminationKey")
        .put("matchedTerminationKey", "#").put("encryption", new JsonObject()), params(asks.get(2)));
    assertEquals("1234#", asks.get(2).getString("dtmfBuffer"));
    assertEquals("12", params(asks.get(3)).getString("dtmfMatch"));
    assertEquals("betweenTimeout", params(asks.get(3)).getString("reason"));
    assertEquals("", params(asks.get(4)).getString("dtmfMatch"));
    assertEquals("firstTimeout", params(asks.get(4)).getString("reason"));
    assertNull(asks.get(4).getString("dtmfBuffer"));

    assertEquals(List.of("2", "1234#", "12"), t.pressed());
    assertEquals(List.of("Press 2 for support.", "Enter your PIN, then hash.", "file:code-prompt", "Last chance.",
        "Goodbye."), t.heard());
    assertEquals(List.of("newCall", "getIvrCommand", "getIvrCommand", "getIvrCommand", "getIvrCommand",
        "getIvrCommand", "callEvent", "sessionCompleted"), app.names());
    assertEquals(app.names(), t.callbacks());
    assertEquals("ivr-hangup", t.outcome());
    assertEquals(List.of(), t.protocolErrors());
  }

  @Test
  @DisplayName("every callback carries the session's ids, a fresh httpTransactionId and, where due, a fresh JWT-like replyId")
  void ids() {
    app.commands(menu(dtmf(1, null, true), say("Menu.")));
    Transcript t = run(config, "press 1");
    JsonObject newCall = app.nth("newCall", 1);
    String sessionId = newCall.getString("sessionId");
    assertEquals(t.sessionId(), sessionId);
    assertEquals(1, UUID.fromString(sessionId).version(), "a time-based UUID like the vendor's");
    assertEquals(CALLER, newCall.getString("callingParty"));
    assertEquals(LINE, newCall.getString("calledParty"));
    assertEquals("public", newCall.getString("callingPartyPrivacy"));
    for (String field : List.of("sipCallId", "displayName", "fromUser", "xHeaders", "pHeaders", "paiNumber", "srcAddr")) {
      assertTrue(newCall.containsKey(field), field);
    }
    JsonObject reference = new JsonObject().put("callId", sessionId);
    Set<String> replyIds = new HashSet<>();
    for (JsonObject ask : app.bodies("getIvrCommand")) {
      assertEquals(sessionId, ask.getString("sessionId"));
      assertEquals(reference, ask.getJsonObject("sessionReferenceId"), "echoed verbatim");
      assertEquals(3, ask.getString("replyId").split("\\.").length);
      replyIds.add(ask.getString("replyId"));
    }
    assertEquals(2, replyIds.size());
    List<String> transactions = app.received().stream().map(r -> r.body().getString("httpTransactionId")).toList();
    assertEquals(transactions.size(), new HashSet<>(transactions).size());
    assertTrue(app.received().stream().allMatch(r -> "10.0.0.1".equals(r.body().getString("ivrServer"))));
    JsonObject completed = app.nth("sessionCompleted", 1);
    assertEquals(reference, completed.getJsonObject("sessionReferenceId"));
    for (String field : List.of("sessionId", "domain", "sessionDuration", "reason", "traceId")) {
      assertTrue(completed.containsKey(field), field);
    }
  }

  @Test
  @DisplayName("barge-in: a key cuts the prompt under all, only the playing phrase under current, nothing without it")
  void bargeIn() {
    for (String mode : new String[] {"all", "current", null}) {
      app.commands(menu(dtmf(1, null, true), say("Welcome to the line."), file("menu")).put("bargeIn", mode));
      Transcript t = run(config, "press 1");
      List<String> heard = t.heard().subList(0, t.heard().size() - 1);
      assertEquals("all".equals(mode) ? List.of("Welcome to the line.") : List.of("Welcome to the line.", "file:menu"),
          heard, mode);
      assertEquals(mode == null ? List.of() : List.of("Welcome to the line."), t.details("cut"), mode);
      assertEquals(List.of("1"), t.pressed());
    }
  }

  @Test
  @DisplayName("a key pressed after waiting cuts the phrase playing then, and the phrases before it were heard")
  void bargeInLater() {
    // 20 characters of speech play 1.2 s; the key at 2 s cuts the file, which started at 1.2 s.
    app.commands(menu(dtmf(1, null, true), say("Welcome to the line."), file("menu"), file("more")));
    Transcript t = run(config, "wait 2s; press 1");
    assertEquals(List.of("Welcome to the line.", "file:menu", "Goodbye."), t.heard());
    assertEquals(List.of("file:menu"), t.details("cut"));
  }

  @Test
  @DisplayName("keys beyond what a collection takes wait in the buffer for the next one, unless it flushes them")
  void bufferAndFlush() {
    app.commands(menu(dtmf(1, null, false), say("One.")), menu(dtmf(2, null, false), say("Two.")),
        menu(dtmf(1, null, false), say("Three.")));
    Transcript kept = run(config, "press 123; press 4");
    List<JsonObject> asks = app.bodies("getIvrCommand");
    assertEquals(List.of("1", "23", "4"), asks.subList(1, 4).stream().map(a -> params(a).getString("dtmfMatch")).toList());
    assertEquals(List.of("123", "4"), kept.pressed(), "the 23 came from the buffer");

    FakeApp flushing = app.commands(menu(dtmf(1, null, false), say("One.")), menu(dtmf(2, null, true), say("Two.")),
        menu(dtmf(1, null, false).put("firstTimeout", 1), say("Three.")));
    Transcript flushed = run(config, "press 123; press 45");
    asks = flushing.bodies("getIvrCommand").subList(4, 8);
    assertEquals(List.of("1", "45", ""), asks.subList(1, 4).stream().map(a -> params(a).getString("dtmfMatch")).toList());
    assertEquals(List.of("23"), flushed.details("flushed"));
  }

  @Test
  @DisplayName("keys typed while a command collects nothing count toward the next collection that keeps the buffer")
  void typedIntoBuffer() {
    app.commands(play(say("Your balance is 5 crowns.")), menu(dtmf(1, null, false), say("Press 1 to repeat.")));
    Transcript t = run(config, "type 7; press 1");
    assertEquals("7", params(app.nth("getIvrCommand", 3)).getString("dtmfMatch"));
    assertEquals(List.of("7"), t.details("typed"));
    assertEquals(List.of(), t.pressed(), "the 1 was never needed");
  }

  @Test
  @DisplayName("forwards: answered then calledPartyDrop; busy is 486; no answer is 480; answering after maxRingTime is 408")
  void forwards() {
    SimConfig sim = config.withCallee("sip:a@pbx", new Callee.Answer(1000, 2000)).withCallee("sip:b@pbx", new Callee.Busy())
        .withCallee("sip:c@pbx", new Callee.NoAnswer(5000)).withCallee("sip:d@pbx", new Callee.Answer(30_000, 1000));
    app.on("newCall", body -> call("sip:a@pbx", 20).put("sessionReferenceId", new JsonObject().put("callId", "c-1")))
        .events(call("sip:b@pbx", 20), call("sip:c@pbx", 20), call("sip:d@pbx", 10),
            new JsonObject().put("action", "drop").put("dropCode", "busy"));
    Transcript t = run(sim, "");

    assertEquals(List.of("newCall", "callNotify", "callAnswered", "callEvent", "callNotify", "callEvent", "callNotify",
        "callEvent", "callNotify", "callEvent", "sessionCompleted"), app.names());
    JsonObject ringing = app.nth("callNotify", 1);
    JsonObject answered = app.nth("callAnswered", 1);
    JsonObject reference = new JsonObject().put("callId", "c-1");
    assertEquals("ringing", ringing.getString("event"));
    assertEquals(reference, ringing.getJsonObject("sessionReferenceId"));
    assertFalse(answered.containsKey("sessionId"), "callAnswered has no sessionId; callflow matches the reference");
    assertEquals(reference, answered.getJsonObject("sessionReferenceId"));
    assertEquals(ringing.getString("participantId"), answered.getString("calleeParticipantId"));
    assertEquals(ringing.getString("remoteParticipantId"), answered.getString("callerParticipantId"));
    assertEquals(3, answered.getString("replyId").split("\\.").length);
    assertEquals(CALLER, answered.getString("callingPartyNumber"));
    assertEquals("a", answered.getString("remotePartyNumber"));

    List<JsonObject> events = app.bodies("callEvent");
    assertEquals(List.of("calledPartyDrop", "calledPartyFailure", "calledPartyFailure", "calledPartyFailure"),
        events.stream().map(e -> e.getString("event")).toList());
    assertEquals(answered.getString("connectionId"), events.get(0).getString("connectionId"));
    assertEquals(List.of(486, 480, 408), events.subList(1, 4).stream().map(e -> e.getInteger("sipResponseCode")).toList());
    assertEquals("Busy Here", events.get(1).getString("errorDescr"));
    assertTrue(events.get(1).getString("sipReason").contains("cause=486"));

    assertEquals(List.of("sip:a@pbx", "sip:b@pbx", "sip:c@pbx", "sip:d@pbx"), t.forwards());
    assertEquals(List.of("sip:a@pbx"), t.connected());
    assertEquals(List.of("sip:b@pbx 486", "sip:c@pbx 480", "sip:d@pbx 408"), t.details("failed"));
    assertEquals("dropped:busy", t.outcome());
    assertEquals(List.of(), t.protocolErrors());
  }

  @Test
  @DisplayName("hangup:true: the IVR leaves with calledPartyDrop, a call answer transfers the caller, who hangs up mid-talk")
  void transferFromIvr() {
    SimConfig sim = config.withCallee("sip:agent@pbx", new Callee.Answer(1000, 60_000));
    app.commands(play(say("Transferring.")).put("hangup", true)).events(call("sip:agent@pbx", 20));
    Transcript t = run(sim, "wait 10s; hangup");

    assertEquals(List.of("newCall", "getIvrCommand", "callEvent", "callNotify", "callAnswered", "callEvent",
        "sessionCompleted"), app.names());
    JsonObject ivrLeft = app.nth("callEvent", 1);
    JsonObject answered = app.nth("callAnswered", 1);
    JsonObject callerLeft = app.nth("callEvent", 2);
    String caller = answered.getString("callerParticipantId");
    assertEquals("calledPartyDrop", ivrLeft.getString("event"));
    assertEquals(caller, ivrLeft.getString("remoteParticipantId"));
    assertNotEquals(caller, ivrLeft.getString("participantId"));
    assertEquals("callingPartyDrop", callerLeft.getString("event"));
    assertEquals(caller, callerLeft.getString("participantId"));
    assertEquals(answered.getString("calleeParticipantId"), callerLeft.getString("remoteParticipantId"));
    assertEquals(answered.getString("connectionId"), callerLeft.getString("connectionId"));
    assertEquals(List.of("IVR hangs up", "caller hangs up"), t.details("hangup"));
    assertEquals(List.of("callEvent → call sip:agent@pbx maxRingTime 20.0", "callEvent → drop"),
        t.answers().stream().filter(a -> a.startsWith("callEvent")).toList());
    assertEquals("caller-hangup", t.outcome());
  }

  @Test
  @DisplayName("a caller whose script ran out lets the configured number of collections time out, then hangs up")
  void scriptRunsOut() {
    app.on("getIvrCommand", body -> menu(dtmf(1, null, true).put("firstTimeout", 2), say("Hello?"))
        .put("replyId", body.getString("replyId")));
    Transcript t = run(config.withLimits(new SimConfig.Limits(5000, 50, 3_600_000, 2)), "press 1");
    assertEquals(List.of("maxDigits 1", "firstTimeout", "firstTimeout"), t.collected());
    assertEquals("caller-hangup", t.outcome());
    assertEquals("callingPartyDrop", app.nth("callEvent", 1).getString("event"));
    assertEquals(4, t.heard().size(), "the fourth prompt started as the caller hung up");
  }

  @Test
  @DisplayName("a call the application would keep for ever ends at the time limit, the caller hanging up")
  void timeLimit() {
    app.on("getIvrCommand", body -> play(say("Please hold.")).put("getIVRCommandAfter", 60)
        .put("backgroundPrompt", new JsonObject().put("fileName", "hold-music")).put("replyId", body.getString("replyId")));
    Transcript t = run(config.compressed(10_000).withLimits(new SimConfig.Limits(5000, 50, 150_000, 3)), "");
    assertEquals("time-limit", t.outcome());
    assertEquals(3, app.bodies("getIvrCommand").size(), "60 s waits: the third is cut at 150 s");
    assertEquals(Set.of("hold-music"), Set.copyOf(t.details("background")));
    assertTrue(t.details("hangup").get(0).contains("time limit"), t.toString());
  }

  @Test
  @DisplayName("the siteBaseUrl switch adds siteId and siteBaseUrl to every callback but recordingReady; any JSON reference is echoed")
  void siteAndReference() {
    app.on("newCall", body -> new JsonObject().put("action", "ivr").put("sessionReferenceId", 20000));
    Transcript t = run(config.withSiteBaseUrl("https://site-a.example/ms"), "");
    assertEquals("ivr-hangup", t.outcome());
    Set<String> sites = app.received().stream().map(r -> r.body().getString("siteBaseUrl")).collect(Collectors.toSet());
    assertEquals(Set.of("https://site-a.example/ms"), sites);
    assertEquals("siteA", app.nth("getIvrCommand", 1).getString("siteId"));
    assertEquals(20000, app.nth("getIvrCommand", 1).getInteger("sessionReferenceId"));
    assertEquals(20000, app.nth("sessionCompleted", 1).getInteger("sessionReferenceId"));
  }
}
