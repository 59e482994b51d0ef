package io.callflow.flow;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.flow.Calls.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.Position.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine's side of talking back: record and http states, maxDuration, hang-up and moves, outbound calls. */
class TalkBackEngineTest {

  static final String FLOW = """
      {"id": "t", "start": "menu", "maxDuration": 600, "failsafe": {"message": "Sorry."}, "states": {
        "menu": {"type": "menu", "prompt": {"say": "1 voicemail, 2 lookup."}, "options": {"1": "leave", "2": "lookup"},
                 "noInput": {"exit": "bye"}, "invalid": {"exit": "bye"}},
        "leave": {"type": "record", "prompt": {"say": "After the tone."}, "maxSeconds": 45, "stopKey": "*",
                  "file": "vm-${callId}-${callingParty}.wav", "next": "bye", "failed": "sorry"},
        "lookup": {"type": "http", "method": "POST", "url": "https://crm.example.com/c/${callingParty}?n=${callerName}",
                   "headers": {"X-Caller": "${callerName}", "Authorization": "Bearer ${env:CRM_TOKEN}"}, "body": "{\\"name\\": \\"${callerName}\\"}", "timeout": 4,
                   "map": {"tier": "/customer/tier", "vip": "/customer/vip", "tags": "/customer/tags"},
                   "prompt": {"say": "One moment."}, "hold": {"file": "hold-music"}, "ok": "tier", "error": "sorry"},
        "tier": {"type": "hangup", "prompt": {"say": "Tier ${tier}, vip ${vip}, tags ${tags}."}},
        "sorry": {"type": "hangup", "prompt": {"say": "Sorry."}},
        "bye": {"type": "hangup", "prompt": {"say": "Bye."}}}}
      """;

  /** A caller whose name would break a URL, a JSON string and a header if inserted raw. */
  static final Caller CALLER = new Caller("+46701234567", "+46800000001", "Ann \"A\"\r\nX-Evil: 1 & co", Map.of());

  private static Calls answered() {
    Calls call = Calls.of(FLOW, CALLER);
    call.session = call.session.withIds(new CallIds("call-1", null, "answered-reply", "conn-1", "caller-p", "ivr-p", null));
    call.start();
    call.send(new Event.IvrRequest(null));
    return call;
  }

  private static Calls withIvrReply(Calls call, String replyId) {
    call.session = call.session.withIds(call.session.ids().merge(CallIds.ivr("call-1", replyId, null)));
    return call;
  }

  @Test
  @DisplayName("a call starts with its flow's maxDuration deadline, for the shell's timer")
  void deadline() {
    Calls call = Calls.of(FLOW, CALLER);
    call.start();
    long expected = MONDAY_10.plusSeconds(600).toEpochMilli();
    assertEquals(expected, call.session.deadlineMillis());
    assertTrue(call.effects.contains(new Effect.Deadline(expected)));
  }

  @Test
  @DisplayName("record: prompt, then startrecording with a safe file name and a stop-key collection, then stoprecording")
  void record() {
    Calls call = answered();
    assertEquals("After the tone.", said(call.ivr("1")));
    Reply.Command recording = (Reply.Command) call.ivr(null);
    String file = "vm-call-1-_46701234567.wav";
    // Only the stop key ends it early: other keys neither fill maxDigits nor start a between-key timeout.
    assertEquals(new Reply.Input(FlowEngine.RECORDING_MAX_KEYS, 45, 45, "*"), recording.input());
    assertEquals(45, recording.waitSeconds());
    assertEquals(Phase.RECORDING, call.session.at().phase());
    assertTrue(call.effects.contains(new Effect.StartRecording(file)));
    call.send(new Event.RecordingStarted(file));
    assertEquals("Bye.", said(call.ivr("")));
    assertTrue(call.effects.contains(new Effect.StopRecording(file)));

    call.send(new Event.RecordingReady(file, "recordingSuccessful", 48_000L, null));
    assertEquals(List.of(new io.callflow.flow.Recording(file, "leave", MONDAY_10.toEpochMilli(),
        "recordingSuccessful", 48_000L, null)), call.session.recordings());
  }

  @Test
  @DisplayName("record: a stop before startrecording is confirmed never says the message was kept: the caller holds; "
      + "the confirmation then goes on to next, a start whose outcome is unknown or a hold that runs out to failed")
  void recordUnconfirmed() {
    String file = "vm-call-1-_46701234567.wav";
    Calls late = withIvrReply(answered(), "r-1");
    late.ivr("1");
    late.ivr(null);
    Reply.Command hold = (Reply.Command) late.ivr("");
    assertEquals(List.of(), hold.prompts(), "no 'Bye.': nothing is announced yet");
    assertEquals(FlowEngine.UNCONFIRMED_HOLD_SECONDS, hold.waitSeconds());
    assertEquals(Phase.WAITING, late.session.at().phase());
    assertTrue(late.effects.stream().noneMatch(e -> e instanceof Effect.StopRecording), "not stopped before it started");
    late.send(new Event.RecordingStarted(file));
    assertEquals(Position.scheduled("bye"), late.session.at());
    assertTrue(late.effects.contains(new Effect.StopRecording(file)));
    assertInstanceOf(Effect.Interrupt.class, late.effects.get(late.effects.size() - 1));
    assertEquals("Bye.", said(late.ivr(null)));

    Calls unknown = withIvrReply(answered(), "r-2");
    unknown.ivr("1");
    unknown.ivr(null);
    unknown.ivr("");
    unknown.send(new Event.ApiFailed("startrecording", Event.ApiFailed.UNKNOWN));
    assertEquals(Position.scheduled("sorry"), unknown.session.at());
    assertTrue(unknown.effects.contains(new Effect.StopRecording(file)), "it may have started: stopped");
    assertEquals("Sorry.", said(unknown.ivr(null)));

    Calls never = withIvrReply(answered(), "r-3");
    never.ivr("1");
    never.ivr(null);
    never.ivr("");
    assertEquals("Sorry.", said(never.ivr(null)), "the hold ran out: the failed exit");
    assertTrue(never.session.trail().stream().anyMatch(a -> a.kind() == Activity.Kind.RECORDING_UNCONFIRMED));
    // A confirmation after the call ended changes only the trail: the recording ends with the call.
    int before = never.effects.size();
    never.send(new Event.RecordingStarted(file));
    assertEquals(before, never.effects.size());
  }

  @Test
  @DisplayName("record without an answered connection, or with a failed startrecording, takes the failed exit")
  void recordFails() {
    Calls unanswered = Calls.of(FLOW, CALLER);
    unanswered.start();
    unanswered.ivr(null);
    unanswered.ivr("1");
    assertEquals("Sorry.", said(unanswered.ivr(null)));
    assertTrue(unanswered.effects.stream().noneMatch(e -> e instanceof Effect.StartRecording));

    Calls refused = withIvrReply(answered(), "r-2");
    refused.ivr("1");
    refused.ivr(null);
    refused.send(new Event.ApiFailed("startrecording", "status 404"));
    assertEquals(Position.scheduled("sorry"), refused.session.at());
    assertInstanceOf(Effect.Interrupt.class, refused.effects.get(refused.effects.size() - 1));
    assertEquals("Sorry.", said(refused.ivr(null)));
  }

  @Test
  @DisplayName("http: caller data is URL-encoded, JSON-escaped and kept to one header line; the caller holds meanwhile")
  void httpRequest() {
    Calls call = withIvrReply(answered(), "r-1");
    Reply.Command hold = (Reply.Command) call.ivr("2");
    assertEquals("One moment.", said(hold));
    assertEquals(new Prompt(null, "hold-music", null), hold.background());
    assertEquals(4 + FlowEngine.HOLD_MARGIN_SECONDS, hold.waitSeconds());
    Effect.HttpFetch fetch = (Effect.HttpFetch) call.effects.stream().filter(e -> e instanceof Effect.HttpFetch)
        .findFirst().orElseThrow();
    assertEquals("POST", fetch.method());
    assertEquals("https://crm.example.com/c/%2B46701234567?n=Ann+%22A%22%0D%0AX-Evil%3A+1+%26+co", fetch.url());
    assertEquals("{\"name\": \"Ann \\\"A\\\"\\r\\nX-Evil: 1 & co\"}", fetch.body());
    assertEquals(Map.of("X-Caller", "Ann \"A\"  X-Evil: 1 & co", "Authorization", "Bearer ${env:CRM_TOKEN}"),
        fetch.headers(), "an environment reference passes the engine untouched: the secret never enters the call");
    assertEquals(4000, fetch.timeoutMillis());
  }

  @Test
  @DisplayName("http: a 2xx answer maps JSON fields into variables and schedules ok with an interrupt")
  void httpOk() {
    Calls call = withIvrReply(answered(), "r-1");
    call.ivr("2");
    call.send(new Event.HttpResult("lookup", 200,
        "{\"customer\": {\"tier\": \"gold\", \"vip\": true, \"tags\": [\"a\", \"b\"]}}", null));
    assertEquals(Position.scheduled("tier"), call.session.at());
    assertInstanceOf(Effect.Interrupt.class, call.effects.get(call.effects.size() - 1));
    assertEquals("Tier gold, vip true, tags [\"a\",\"b\"].", said(call.ivr(null)));
  }

  @Test
  @DisplayName("http: a non-2xx, an error, an answer that is not JSON, or a hold that ends first all take the error exit")
  void httpErrors() {
    for (Event.HttpResult result : List.of(new Event.HttpResult("lookup", 503, "{}", null),
        new Event.HttpResult("lookup", 0, null, "no answer within 4000 ms"),
        new Event.HttpResult("lookup", 200, "<html>", null))) {
      Calls call = withIvrReply(answered(), "r-1");
      call.ivr("2");
      call.send(result);
      assertEquals(Position.scheduled("sorry"), call.session.at(), result.toString());
    }
    Calls lost = answered();
    lost.ivr("2");
    assertEquals("Sorry.", said(lost.ivr(null)), "the IVR asked again while the request was still out");
  }

  @Test
  @DisplayName("http: a result for a state the call has left changes nothing")
  void httpLate() {
    Calls call = withIvrReply(answered(), "r-1");
    call.ivr("2");
    call.ivr(null);
    Session before = call.session;
    call.send(new Event.HttpResult("lookup", 200, "{}", null));
    assertEquals(before.at(), call.session.at());
  }

  @Test
  @DisplayName("hang-up requested: hangupparticipant for the caller when the answered ids are known, else an interrupt "
      + "and a hang-up at the next command; the reason stays")
  void hangupRequested() {
    Calls known = answered();
    known.send(new Event.HangupRequested(EndReason.OPERATOR_HANGUP));
    assertTrue(known.effects.contains(new Effect.Hangup("caller-p")));
    known.send(new Event.CallerLeft());
    assertEquals("operatorHangup:menu", known.session.endReason());

    Calls ivrOnly = withIvrReply(Calls.of(FLOW, CALLER), "r-1");
    ivrOnly.start();
    ivrOnly.ivr(null);
    ivrOnly.send(new Event.HangupRequested(EndReason.MAX_DURATION));
    assertInstanceOf(Effect.Interrupt.class, ivrOnly.effects.get(ivrOnly.effects.size() - 1));
    Reply.Command last = (Reply.Command) ivrOnly.ivr(null);
    assertTrue(last.hangup());
    assertEquals("maxDuration:menu", ivrOnly.session.endReason());
    assertTrue(ivrOnly.session.ended());
  }

  @Test
  @DisplayName("a move takes a call in the IVR to the state at once; a call outside the IVR is not moved")
  void move() {
    Calls call = withIvrReply(answered(), "r-1");
    call.send(new Event.GotoRequested("bye"));
    assertEquals(Position.scheduled("bye"), call.session.at());
    assertEquals("Bye.", said(call.ivr(null)));

    Calls ended = answered();
    ended.send(new Event.CallerLeft());
    Position before = ended.session.at();
    ended.send(new Event.GotoRequested("bye"));
    assertEquals(before, ended.session.at());
  }

  @Test
  @DisplayName("outbound: dialing until answered, then the flow from its start; busy and no answer end the call")
  void outbound() {
    Calls call = Calls.of(FLOW, CALLER);
    call.session = call.session.at(Position.of("menu", Phase.DIALING));
    assertInstanceOf(Reply.Ack.class, call.send(new Event.CalleeAnswered()));
    assertEquals(Position.scheduled("menu"), call.session.at());
    assertTrue(call.effects.stream().anyMatch(e -> e instanceof Effect.Deadline), "maxDuration counts from the answer");
    assertEquals("1 voicemail, 2 lookup.", said(call.ivr(null)));

    for (int sip : new int[] {486, 480, 503}) {
      Calls failed = Calls.of(FLOW, CALLER);
      failed.session = failed.session.at(Position.of("menu", Phase.DIALING));
      assertEquals(new Reply.Drop(null), failed.send(new Event.CalleeFailed(sip)));
      assertEquals(sip == 486 ? "busy" : sip == 480 ? "noAnswer" : "failed", failed.session.endReason());
    }

    Calls refused = Calls.of(FLOW, CALLER);
    refused.session = refused.session.at(Position.of("menu", Phase.DIALING));
    refused.send(new Event.ApiFailed("placeivrcall", "status 401"));
    assertEquals("placeFailed", refused.session.endReason());
    assertTrue(refused.effects.contains(new Effect.CallEnded("placeFailed")));
    assertNull(refused.session.ids().ivrReplyId());
  }
}
