package io.callflow.flow;

import static io.callflow.flow.Calls.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.Position.Phase;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowEngineTest {

  static final String MENU = """
      {"id": "m", "start": "menu", "failsafe": {"destination": "sip:fs@x"}, "states": {
        "menu": {"type": "menu", "prompt": {"say": "Choose."}, "reprompt": {"say": "Choose again."},
                 "options": {"1": "one", "12": "twelve", "*": "star", "#": "hash"},
                 "noInput": {"prompt": {"say": "Silence."}, "tries": 3, "exit": "silent-exit"},
                 "invalid": {"prompt": {"say": "Wrong."}, "tries": 2, "exit": "invalid-exit"}},
        "one": {"type": "hangup", "prompt": {"say": "one"}},
        "twelve": {"type": "hangup", "prompt": {"say": "twelve"}},
        "star": {"type": "hangup", "prompt": {"say": "star"}},
        "hash": {"type": "hangup", "prompt": {"say": "hash"}},
        "silent-exit": {"type": "hangup", "prompt": {"say": "silent exit"}},
        "invalid-exit": {"type": "hangup", "prompt": {"say": "invalid exit"}}}}
      """;

  @ParameterizedTest(name = "pressing [{0}] leads to \"{1}\"")
  @CsvSource({"1, one", "12, twelve", "*, star", "#, hash"})
  @DisplayName("menu options: single digit, multi digit, star and hash")
  void menuOptions(String digits, String heard) {
    Calls call = Calls.of(MENU);
    assertInstanceOf(Reply.ConnectIvr.class, call.start());
    Reply.Command menu = (Reply.Command) call.ivr(null);
    assertEquals("Choose.", said(menu));
    assertEquals(new Reply.Input(2, 5, 3, null), menu.input(), "'#' is an option, so it is no terminator");
    assertEquals(heard, said(call.ivr(digits)));
  }

  @Test
  @DisplayName("no input and invalid input are counted separately, each with its prompt and exit")
  void separateCounters() {
    Calls call = Calls.of(MENU);
    call.start();
    call.ivr(null);
    assertEquals("Silence. | Choose again.", said(call.ivr("")));
    assertEquals("Wrong. | Choose again.", said(call.ivr("7")));
    assertEquals("Silence. | Choose again.", said(call.ivr("")));
    assertEquals(2, call.session.at().noInput());
    assertEquals(1, call.session.at().invalid());
    assertEquals("invalid exit", said(call.ivr("9")), "the second invalid answer uses up invalid.tries = 2");
  }

  @Test
  @DisplayName("no input three times leaves by the no-input exit")
  void noInputExit() {
    Calls call = Calls.of(MENU);
    call.start();
    call.ivr(null);
    call.ivr("");
    call.ivr("");
    assertEquals("silent exit", said(call.ivr("")));
    assertTrue(call.session.trail().stream().anyMatch(a -> a.kind().is("noInputExhausted")));
  }

  @Test
  @DisplayName("invalid input once, then a valid choice")
  void invalidThenValid() {
    Calls call = Calls.of(MENU);
    call.start();
    call.ivr(null);
    call.ivr("5");
    assertEquals("one", said(call.ivr("1")));
    assertTrue(call.session.trail().stream().anyMatch(a -> a.kind().is("selected") && a.detail().equals("1")));
  }

  static final String COLLECT = """
      {"id": "c", "start": "pin", "states": {
        "pin": {"type": "collect", "prompt": {"say": "PIN?"}, "variable": "pin", "minDigits": 4, "maxDigits": 6,
                "terminator": "*", "timeout": 9, "betweenTimeout": 2, "secret": true, "next": "check",
                "noInput": {"tries": 1, "exit": "bye"}, "invalid": {"prompt": {"say": "4 to 6 digits."}, "tries": 2}},
        "check": {"type": "branch", "cases": [{"when": {"var": "pin", "equals": "2468"}, "next": "ok"}], "otherwise": "bye"},
        "ok": {"type": "play", "prompt": {"say": "Welcome ${callerName}."}, "next": "bye"},
        "bye": {"type": "hangup", "prompt": {"say": "Bye."}}}}
      """;

  @Test
  @DisplayName("collect: min/max digits, terminator, secret digits never in the trail, branch on the variable")
  void collectSecret() {
    Calls call = Calls.of(COLLECT);
    call.start();
    Reply.Command ask = (Reply.Command) call.ivr(null);
    assertEquals(new Reply.Input(6, 9, 2, "*"), ask.input());
    assertEquals("4 to 6 digits. | PIN?", said(call.ivr("123")));
    assertEquals("Welcome Ada.", said(call.ivr("2468")));
    assertEquals("2468", call.session.vars().get("pin"));
    assertFalse(call.session.trail().toString().contains("2468"), call.session.trail().toString());
    assertFalse(call.session.trail().toString().contains("123,"), "the invalid attempt is masked too");
    assertEquals("Bye.", said(call.ivr(null)));
  }

  @Test
  @DisplayName("collect: invalid tries used up without an exit go to the failsafe; no input to its exit")
  void collectExits() {
    Calls invalid = Calls.of(COLLECT);
    invalid.start();
    invalid.ivr(null);
    invalid.ivr("1");
    Reply.Command failsafe = (Reply.Command) invalid.ivr("1234567");
    assertEquals(Flow.Failsafe.DEFAULT_MESSAGE, said(failsafe));
    assertTrue(failsafe.hangup());
    assertEquals("failsafe", invalid.session.endReason());

    Calls silent = Calls.of(COLLECT);
    silent.start();
    silent.ivr(null);
    assertEquals("Bye.", said(silent.ivr("")));
  }

  static final String FORWARD = """
      {"id": "f", "start": "menu", "states": {
        "menu": {"type": "menu", "prompt": {"say": "Press 1."}, "options": {"1": "desk"}},
        "desk": {"type": "forward", "destination": "sip:desk@x", "ringTime": 12, "sipFrom": "${calledParty}",
                 "displayName": "${callerName}", "prompt": {"say": "Connecting."},
                 "busy": "busy", "noAnswer": "noanswer", "failed": "failed", "after": "after"},
        "busy": {"type": "hangup", "prompt": {"say": "busy"}},
        "noanswer": {"type": "hangup", "prompt": {"say": "noanswer"}},
        "failed": {"type": "hangup", "prompt": {"say": "failed"}},
        "after": {"type": "hangup", "dropCode": "dropNoMsg"}}}
      """;

  @ParameterizedTest(name = "SIP {0} → {1}")
  @CsvSource({"486, busy", "600, busy", "603, busy", "408, noanswer", "480, noanswer", "487, noanswer",
      "500, failed", "404, failed"})
  @DisplayName("a forward from inside the IVR transfers, then routes the callee's failure by SIP status")
  void forwardFailures(int sipCode, String exit) {
    Calls call = Calls.of(FORWARD);
    call.start();
    call.ivr(null);
    Reply.Command transfer = (Reply.Command) call.ivr("1");
    assertEquals("Connecting.", said(transfer));
    assertTrue(transfer.hangup());
    assertEquals(Phase.TRANSFERRING, call.session.at().phase());
    assertEquals(new Reply.Call("sip:desk@x", 12, "+46800000001", "Ada"), call.send(new Event.CalledPartyLeft()));
    assertInstanceOf(Reply.ConnectIvr.class, call.send(new Event.CalleeFailed(sipCode)));
    assertEquals(exit, said(call.ivr(null)));
  }

  @Test
  @DisplayName("a connected forward's callee hanging up leaves by 'after'; without 'after' the call is dropped")
  void forwardAfter() {
    Calls call = Calls.of(FORWARD);
    call.start();
    call.ivr(null);
    call.ivr("1");
    call.send(new Event.CalledPartyLeft());
    assertInstanceOf(Reply.Ack.class, call.send(new Event.CalleeAnswered()));
    assertEquals(Phase.CONNECTED, call.session.at().phase());
    assertEquals(new Reply.Drop("dropNoMsg"), call.send(new Event.CalledPartyLeft()));
    assertEquals("transferred", call.session.endReason());

    Calls plain = Calls.of("""
        {"id": "p", "start": "desk", "states": {"desk": {"type": "forward", "destination": "sip:d@x"}}}
        """);
    assertEquals(new Reply.Call("sip:d@x", 30, null, null), plain.start());
    plain.send(new Event.CalleeAnswered());
    assertEquals(new Reply.Drop(null), plain.send(new Event.CalledPartyLeft()));
    assertEquals(new Reply.Drop(null), Calls.of("""
        {"id": "p", "start": "desk", "states": {"desk": {"type": "forward", "destination": "sip:d@x"}}}
        """).send(new Event.CalleeFailed(480)), "a failure without an exit on a call never started drops");
  }

  static final String HOURS = """
      {"id": "h", "start": "hours", "states": {
        "hours": {"type": "hours", "timezone": "Europe/Stockholm", "weekly": {"mon": ["08:00-12:00", "13:00-17:00"]},
                  "holidays": ["12-25", "2026-11-30"], "open": "open", "closed": "closed", "holiday": "holiday"},
        "open": {"type": "hangup", "prompt": {"say": "open"}},
        "closed": {"type": "hangup", "prompt": {"say": "closed"}},
        "holiday": {"type": "hangup", "prompt": {"say": "holiday"}}}}
      """;

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "2026-11-23T07:00:00Z, open",
      "2026-11-23T06:59:00Z, closed",
      "2026-11-23T11:30:00Z, closed",
      "2026-11-23T15:59:00Z, open",
      "2026-11-23T16:00:00Z, closed",
      "2026-11-24T09:00:00Z, closed",
      "2026-11-30T09:00:00Z, holiday",
      "2029-12-25T09:00:00Z, holiday",
  })
  @DisplayName("hours: ranges in the flow's time zone, lunch break, other days, dated and yearly holidays")
  void hours(String instant, String expected) {
    Calls call = Calls.of(HOURS);
    call.now = Instant.parse(instant);
    call.start();
    assertEquals(expected, said(call.ivr(null)));
  }

  static final String BRANCH = """
      {"id": "b", "start": "b", "states": {
        "b": {"type": "branch", "cases": [
          {"when": {"var": "callingParty", "startsWith": "+4670"}, "next": "mobile"},
          {"when": {"var": "header.X-Tier", "equals": "gold"}, "next": "gold"},
          {"when": {"var": "lang", "present": true}, "next": "lang"}], "otherwise": "other"},
        "mobile": {"type": "hangup", "prompt": {"say": "mobile"}},
        "gold": {"type": "hangup", "prompt": {"say": "gold"}},
        "lang": {"type": "hangup", "prompt": {"say": "lang"}},
        "other": {"type": "hangup", "prompt": {"say": "other"}}}}
      """;

  @ParameterizedTest(name = "{0}, tier {1} → {2}")
  @CsvSource({"+46701234567, gold, mobile", "+4631123456, gold, gold", "+4631123456, silver, other"})
  @DisplayName("branch on caller data and headers, in order, else otherwise")
  void branch(String caller, String tier, String expected) {
    Calls call = Calls.of(BRANCH, new Caller(caller, "+4612", null, Map.of("x-tier", tier)));
    call.start();
    assertEquals(expected, said(call.ivr(null)));
  }

  @Test
  @DisplayName("set assigns templated variables; caller data containing ${...} is inserted as text, never expanded")
  void setAndTemplateInjection() {
    Calls call = Calls.of("""
        {"id": "s", "start": "set", "states": {
          "set": {"type": "set", "vars": {"greeting": "Hi ${callerName} (${callingParty})", "secret": "s3cr3t"}, "next": "say"},
          "say": {"type": "play", "prompt": {"say": "${greeting}"}, "next": "bye"},
          "bye": {"type": "hangup"}}}
        """, new Caller("+461", "+462", "${secret}", Map.of()));
    call.start();
    assertEquals("Hi ${secret} (+461)", said(call.ivr(null)));
    Reply.Command bye = (Reply.Command) call.ivr(null);
    assertTrue(bye.hangup());
    assertEquals("hangup:bye", call.session.endReason());
  }

  @Test
  @DisplayName("a hangup without a prompt at the start drops with its dropCode; with a prompt it goes to the IVR")
  void hangupAtStart() {
    assertEquals(new Reply.Drop("numberNotActive"), Calls.of("""
        {"id": "x", "start": "h", "states": {"h": {"type": "hangup", "dropCode": "numberNotActive"}}}
        """).start());
    assertInstanceOf(Reply.ConnectIvr.class, Calls.of("""
        {"id": "x", "start": "h", "states": {"h": {"type": "hangup", "prompt": {"say": "bye"}}}}
        """).start());
  }

  @Test
  @DisplayName("the caller hanging up ends the call with the state it was in; completion emits CallEnded")
  void callerHangsUp() {
    Calls call = Calls.of(MENU);
    call.start();
    call.ivr(null);
    assertEquals(new Reply.Drop(null), call.send(new Event.CallerLeft()));
    assertEquals("callerHangup:menu", call.session.endReason());
    assertInstanceOf(Reply.Ack.class, call.send(new Event.Completed("normal")));
    assertTrue(call.effects.contains(new Effect.CallEnded("callerHangup:menu")));
    assertTrue(((Reply.Command) call.ivr("1")).hangup(), "a late getIvrCommand hangs up again");
  }

  @Test
  @DisplayName("a loop of states that never waits for the caller ends in the failsafe instead of spinning")
  void loopGoesToFailsafe() {
    Calls call = Calls.of("""
        {"id": "l", "start": "a", "failsafe": {"destination": "sip:fs@x"}, "states": {
          "a": {"type": "set", "vars": {"n": "1"}, "next": "b"},
          "b": {"type": "set", "vars": {"n": "2"}, "next": "a"}}}
        """);
    assertEquals(new Reply.Call("sip:fs@x", 30, null, null), call.start());
    assertTrue(call.effects.stream().anyMatch(e -> e instanceof Effect.FailsafeTaken));
    assertEquals("failsafe", call.session.endReason());
  }

  @Test
  @DisplayName("the failsafe: forward at call control, transfer inside the IVR, or drop / apology without a destination")
  void failsafeForms() {
    Calls withDestination = Calls.of(MENU);
    withDestination.start();
    withDestination.session = withDestination.session.at(new io.callflow.flow.Position("menu", Phase.RINGING, 0, 0));
    assertEquals(new Reply.Call("sip:fs@x", 30, null, null), withDestination.send(new Event.CalleeFailed(486)),
        "a callee failure for a state that is no forward is a flow error");

    Calls inIvr = Calls.of(MENU);
    inIvr.start();
    inIvr.send(new Event.CalleeAnswered());
    inIvr.session = inIvr.session.at(new io.callflow.flow.Position("menu", Phase.RINGING, 0, 0));
    Reply.Command transfer = (Reply.Command) inIvr.ivr("1");
    assertTrue(transfer.hangup(), "getIvrCommand while ringing takes the failsafe inside the IVR");
    assertEquals(Phase.TRANSFERRING, inIvr.session.at().phase());

    Calls without = Calls.of(COLLECT);
    without.session = without.session.at(new io.callflow.flow.Position("pin", Phase.RINGING, 0, 0));
    assertEquals(new Reply.Drop("temporarilyUnavailable"), without.send(new Event.CalledPartyLeft()));
  }
}
