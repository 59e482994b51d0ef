package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.http.FakeCall.heard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Complete calls through the real server over HTTP, one callback at a time, as the mediaservice posts them. */
@ExtendWith(VertxExtension.class)
class CallFlowHttpTest {
  /** A Monday, 10:00 in Stockholm: the test line is open. */

  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null), clock).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  /** A drop answer, with the dropCode given (or none) and callflow's reference. */
  static void assertDrop(String dropCode, JsonObject answer) {
    assertEquals("drop", answer.getString("action"), answer.encode());
    assertEquals(dropCode, answer.getString("dropCode"), answer.encode());
    assertTrue(answer.getJsonObject("sessionReferenceId").containsKey("callId"), answer.encode());
  }

  private FakeCall call() {
    return new FakeCall(client, server.port());
  }

  @Test
  @DisplayName("menu, sub-menu, transfer from the IVR, callee answers and hangs up, caller hears goodbye")
  void menuSubMenuForwardConnected() {
    FakeCall call = call();
    JsonObject connect = call.newCall(CALLER, LINE);
    assertEquals("ivr", connect.getString("action"));
    assertEquals(call.sessionId, connect.getJsonObject("sessionReferenceId").getString("callId"));
    assertEquals("test-line", connect.getJsonObject("sessionReferenceId").getString("flow"));

    JsonObject menu = call.ivr();
    assertEquals("Press 1 for sales, 2 for support, 3 for your account.", heard(menu));
    assertEquals(call.lastReplyId, menu.getString("replyId"));
    assertEquals("all", menu.getString("bargeIn"));
    assertEquals(1, menu.getJsonObject("dtmf").getInteger("maxDigits"));
    assertTrue(menu.getJsonObject("dtmf").getBoolean("flush"));

    assertEquals("file:support-menu", heard(call.ivr("2")));
    JsonObject transfer = call.ivr("1");
    assertEquals("Connecting you to internet support.", heard(transfer));
    assertEquals(Boolean.TRUE, transfer.getBoolean("hangup"));

    JsonObject forward = call.event("calledPartyDrop", null);
    assertEquals("call", forward.getString("action"));
    assertEquals("sip:internet@pbx.test", forward.getString("destAddr"));
    assertEquals(20.0, forward.getDouble("maxRingTime"));

    assertEquals(new JsonObject(), call.answered());
    assertEquals("ivr", call.event("calledPartyDrop", null).getString("action"));
    JsonObject goodbye = call.ivr();
    assertEquals("Goodbye.", heard(goodbye));
    assertEquals(Boolean.TRUE, goodbye.getBoolean("hangup"));
    assertEquals(new JsonObject(), call.completed());
  }

  @Test
  @DisplayName("no input three times leaves the menu by its no-input exit: the failsafe transfer")
  void noInputThreeTimes() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    assertEquals("We did not hear you. | Press 1 for sales, 2 for support, 3 for your account.", heard(call.ivr("")));
    assertEquals("We did not hear you. | Press 1 for sales, 2 for support, 3 for your account.", heard(call.ivr("")));
    JsonObject failsafe = call.ivr("");
    assertEquals("Sorry, let me connect you to someone.", heard(failsafe));
    assertEquals(Boolean.TRUE, failsafe.getBoolean("hangup"));
    assertEquals("sip:failsafe@pbx.test", call.event("calledPartyDrop", null).getString("destAddr"));
  }

  @Test
  @DisplayName("invalid input twice then a valid choice: collect, set and play with variables")
  void invalidTwiceThenValid() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    assertEquals("That is not a valid choice. | Press 1 for sales, 2 for support, 3 for your account.", heard(call.ivr("9")));
    assertEquals("That is not a valid choice. | Press 1 for sales, 2 for support, 3 for your account.", heard(call.ivr("8")));
    JsonObject collect = call.ivr("3");
    assertEquals("Enter your account number, then hash.", heard(collect));
    assertEquals(10, collect.getJsonObject("dtmf").getInteger("maxDigits"));
    assertEquals("#", collect.getJsonObject("dtmf").getString("terminationKey"));
    assertEquals("Enter your account number, then hash.", heard(call.ivr("123")), "too short asks again");
    JsonObject readback = call.ivr("1234567");
    assertEquals("Your account is 1234567, tier gold-1234567.", heard(readback));
    assertNull(readback.getJsonObject("dtmf"));
    assertNull(readback.getBoolean("hangup"));
    assertEquals("Goodbye.", heard(call.ivr()));
  }

  @Test
  @DisplayName("outside office hours the caller hears the closed message and the IVR hangs up")
  void closedHours() {
    clock.set(Instant.parse("2026-11-23T19:00:00Z"));
    FakeCall call = call();
    assertEquals("ivr", call.newCall(CALLER, LINE).getString("action"));
    JsonObject closed = call.ivr();
    assertEquals("We are closed.", heard(closed));
    assertEquals(Boolean.TRUE, closed.getBoolean("hangup"));
  }

  @Test
  @DisplayName("on a recurring and on a dated holiday the caller hears the holiday message, then closed")
  void holidays() {
    for (String instant : new String[] {"2026-12-25T09:00:00Z", "2026-06-19T08:00:00Z"}) {
      clock.set(Instant.parse(instant));
      FakeCall call = call();
      call.newCall(CALLER, LINE);
      assertEquals("Happy holidays.", heard(call.ivr()), instant);
      assertEquals("We are closed.", heard(call.ivr()), instant);
    }
  }

  @Test
  @DisplayName("busy goes to the fallback destination, whose no-answer ends with goodbye")
  void busyThenFallbackThenNoAnswer() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    call.ivr("2");
    call.ivr("1");
    assertEquals("sip:internet@pbx.test", call.event("calledPartyDrop", null).getString("destAddr"));
    JsonObject fallback = call.event("calledPartyFailure", 486);
    assertEquals("call", fallback.getString("action"));
    assertEquals("sip:phone@pbx.test", fallback.getString("destAddr"));
    assertEquals("ivr", call.event("calledPartyFailure", 480).getString("action"));
    JsonObject goodbye = call.ivr();
    assertEquals("Goodbye.", heard(goodbye));
    assertEquals(Boolean.TRUE, goodbye.getBoolean("hangup"));
  }

  @Test
  @DisplayName("a caller hanging up mid-menu is dropped and later callbacks of the call end it politely")
  void callerHangsUpMidMenu() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    assertDrop(null, call.event("callingPartyDrop", null));
    assertEquals(new JsonObject(), call.completed());
    JsonObject late = call.ivr("1");
    assertEquals(Boolean.TRUE, late.getBoolean("hangup"));
    assertEquals(call.lastReplyId, late.getString("replyId"));
  }

  @Test
  @DisplayName("callbacks out of order: sessionCompleted before the caller's callEvent, a callNotify after the end")
  void outOfOrder() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    assertEquals(new JsonObject(), call.completed());
    assertDrop(null, call.event("callingPartyDrop", null));
    assertEquals(new JsonObject(), call.post("/callNotify", new JsonObject().put("sessionId", call.sessionId)
        .put("event", "ringing")));
    assertEquals(new JsonObject(), call.answered());
  }

  @Test
  @DisplayName("a repeated getIvrCommand gets the first answer again and does not step the flow twice")
  void duplicateIvrCommand() {
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    JsonObject body = new JsonObject().put("sessionId", call.sessionId).put("replyId", "same-reply")
        .put("dtmfParams", new JsonObject().put("dtmfMatch", "2"))
        .put("sessionReferenceId", new JsonObject().put("callId", call.sessionId));
    JsonObject first = call.post("/getIvrCommand", body);
    JsonObject again = call.post("/getIvrCommand", body);
    assertEquals(first, again);
    assertEquals("file:support-menu", heard(again));
    assertEquals("Connecting you to internet support.", heard(call.ivr("1")), "still in the sub-menu");
  }

  @Test
  @DisplayName("a repeated newCall gets the first answer again")
  void duplicateNewCall() {
    FakeCall call = call();
    assertEquals(call.newCall(CALLER, LINE), call.newCall(CALLER, LINE));
  }

  @Test
  @DisplayName("a flow that starts with a forward answers newCall with a call action; no answer drops busy")
  void forwardAtNewCall() {
    FakeCall call = call();
    JsonObject forward = call.newCall(CALLER, "+46800000002");
    assertEquals("call", forward.getString("action"));
    assertEquals("sip:desk@pbx.test", forward.getString("destAddr"));
    assertEquals(15.0, forward.getDouble("maxRingTime"));
    assertEquals("direct", forward.getJsonObject("sessionReferenceId").getString("flow"));
    assertDrop("busy", call.event("calledPartyFailure", 408));
  }

  @Test
  @DisplayName("a VIP caller is branched straight to an agent; a forward's sipFrom is templated")
  void branchAndTemplatedSipFrom() {
    FakeCall vip = call();
    assertEquals("sip:agent@pbx.test", vip.newCall("+46700000099", LINE).getString("destAddr"));
    FakeCall call = call();
    call.newCall(CALLER, LINE);
    call.ivr();
    call.ivr("1");
    JsonObject sales = call.event("calledPartyDrop", null);
    assertEquals("sip:sales@pbx.test", sales.getString("destAddr"));
    assertEquals(LINE, sales.getString("sipFrom"));
  }

  @Test
  @DisplayName("a number no flow answers is dropped with numberNotFound and creates no session")
  void unknownNumber() {
    FakeCall call = call();
    assertEquals(new JsonObject().put("action", "drop").put("dropCode", "numberNotFound"), call.newCall(CALLER, "+4600"));
    assertEquals(Boolean.TRUE, call.ivr().getBoolean("hangup"));
  }

  @Test
  @DisplayName("callbacks of an unknown call get the failsafe answer: apology and hang-up, or drop")
  void unknownSession() {
    FakeCall stranger = call();
    JsonObject apology = stranger.ivr();
    assertEquals("Sorry, we cannot take your call.", heard(apology));
    assertEquals(Boolean.TRUE, apology.getBoolean("hangup"));
    assertEquals(stranger.lastReplyId, apology.getString("replyId"));
    assertEquals("drop", stranger.event("callingPartyDrop", null).getString("action"));
    assertEquals(new JsonObject(), stranger.completed());
  }

  @Test
  @DisplayName("getCallIdentifier registers the call, and its first getIvrCommand starts the flow")
  void callIdentifierThenIvr() {
    FakeCall call = call();
    JsonObject identifier = call.post("/getCallIdentifier",
        new JsonObject().put("sessionId", call.sessionId).put("calledParty", LINE));
    assertEquals(call.sessionId, identifier.getString("sessionId"));
    assertEquals(call.sessionId, identifier.getJsonObject("sessionReferenceId").getString("callId"));
    assertEquals("Press 1 for sales, 2 for support, 3 for your account.", heard(call.ivr()));
  }
}
