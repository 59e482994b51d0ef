package io.callflow.report;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowEngine;
import io.callflow.flow.FlowParser;
import io.callflow.report.ActivityRecord.Ending;
import io.callflow.report.ActivityRecord.MenuVisit;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Recording;
import io.callflow.flow.Secrets;
import io.callflow.flow.Session;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivityRecordsTest {

  static final String FLOW = """
      {"id": "shop", "numbers": ["+46800000009"], "start": "main",
       "failsafe": {"destination": "sip:failsafe@pbx.test"},
       "states": {
         "main": {"type": "menu", "prompt": {"say": "1 sales, 2 account"}, "options": {"1": "sales", "2": "pin"},
                  "noInput": {"tries": 3, "exit": "bye"}, "invalid": {"tries": 3, "exit": "bye"}},
         "sales": {"type": "forward", "destination": "sip:sales@pbx.test", "prompt": {"say": "Connecting."}},
         "pin": {"type": "collect", "prompt": {"say": "PIN"}, "variable": "pin", "minDigits": 4, "maxDigits": 8,
                 "secret": true, "next": "derive"},
         "derive": {"type": "set", "vars": {"code": "x-${pin}", "plain": "${callingParty}"}, "next": "acct"},
         "acct": {"type": "collect", "prompt": {"say": "Account"}, "variable": "account", "minDigits": 2, "next": "bye"},
         "bye": {"type": "hangup", "prompt": {"say": "Bye."}}
       }}
      """;
  static final String PIN = "97531";
  static final Instant T0 = MONDAY_10;

  private final Flow flow = parse();
  private final FlowEngine engine = new FlowEngine();
  private Session session = Session.start("call-7", "shop", flow.version(), Session.Direction.INBOUND,
      new Caller("+46701234567", "+46800000009", "Ada", Map.of()), CallIds.of("call-7", null), "main", T0);
  private Instant now = T0;

  private static Flow parse() {
    try {
      return new FlowParser().parse("shop", FLOW.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(Event event) {
    now = now.plusSeconds(2);
    session = engine.step(flow, session, event, now).next();
  }

  private ActivityRecord record() {
    return ActivityRecords.build(flow, session, now.plusSeconds(1));
  }

  @Test
  @DisplayName("menus with selection and retries, secret and derived variables masked, the ending and its state")
  void menuCollectHangup() {
    send(new Event.CallStarted());
    send(new Event.IvrRequest(null));
    send(new Event.IvrRequest("9"));
    send(new Event.IvrRequest(""));
    send(new Event.IvrRequest("2"));
    send(new Event.IvrRequest(PIN));
    send(new Event.IvrRequest("42"));
    send(new Event.CalledPartyLeft());
    send(new Event.Completed("normal"));
    ActivityRecord record = record();

    assertEquals(List.of(new MenuVisit("main", T0.plusSeconds(2).toEpochMilli(), "2", "pin", 1, 1)), record.menus());
    assertEquals(Map.of("pin", "***", "code", "***", "plain", "+46701234567", "account", "42"), record.variables());
    assertEquals(new Ending("hangup:bye", "hangup", "bye", "bye", null), record.ending());
    assertEquals("call-7", record.callId());
    assertEquals("INBOUND", record.direction());
    assertEquals(T0.toEpochMilli(), record.startedAt());
    assertEquals(now.plusSeconds(1).toEpochMilli(), record.endedAt());
    assertTrue(record.events().stream().anyMatch(e -> e.kind().equals("collected") && e.detail().equals("pin=***")),
        record.events().toString());
    String json = new String(RecordCodec.encode(record), StandardCharsets.UTF_8);
    assertFalse(json.contains(PIN), json);
    assertFalse(json.contains("9753"), json);
    assertTrue(json.startsWith("{\"schemaVersion\":1,\"id\":"), json);
  }

  @Test
  @DisplayName("a record says which version of the shape it is; one written before versions reads as 0")
  void schemaVersion() throws java.io.IOException {
    send(new Event.CallStarted());
    send(new Event.CalledPartyLeft());
    ActivityRecord record = record();
    assertEquals(ActivityRecord.SCHEMA_VERSION, record.schemaVersion());
    assertEquals(1, RecordCodec.decode(RecordCodec.encode(record)).schemaVersion());
    String old = new String(RecordCodec.encode(record), StandardCharsets.UTF_8).replace("\"schemaVersion\":1,", "");
    ActivityRecord before = RecordCodec.decode(old.getBytes(StandardCharsets.UTF_8));
    assertEquals(0, before.schemaVersion());
    assertEquals(record.id(), before.id());
  }

  @Test
  @DisplayName("a transfer names the forward that connected and its destination")
  void transfer() {
    send(new Event.CallStarted());
    send(new Event.IvrRequest(null));
    send(new Event.IvrRequest("1"));
    send(new Event.CalledPartyLeft());
    send(new Event.CalleeAnswered());
    send(new Event.CalledPartyLeft());
    send(new Event.Completed("normal"));
    ActivityRecord record = record();

    assertEquals(new Ending("transferred", "transferred", null, "sales", "sip:sales@pbx.test"), record.ending());
    assertTrue(record.ending().transferred());
    assertEquals("1", record.menus().get(0).selection());
    assertEquals("sales", record.menus().get(0).next());
  }

  @Test
  @DisplayName("a caller who hangs up in a menu: the visit has no selection and the ending names the menu")
  void callerHangsUpInMenu() {
    send(new Event.CallStarted());
    send(new Event.IvrRequest(null));
    send(new Event.IvrRequest(""));
    send(new Event.CallerLeft());
    send(new Event.Alarm("mediaError", "prompt file missing"));
    send(new Event.Completed("normal"));
    ActivityRecord record = record();

    assertEquals(List.of(new MenuVisit("main", T0.plusSeconds(2).toEpochMilli(), null, null, 1, 0)), record.menus());
    assertEquals(new Ending("callerHangup:main", "callerHangup", "main", "main", null), record.ending());
    assertEquals(1, record.alarms().size());
    assertEquals("mediaError", record.alarms().get(0).type());
    assertEquals("prompt file missing", record.alarms().get(0).error());
  }

  @Test
  @DisplayName("reasons callflow does not know yet are split generically into kind and detail")
  void unknownReasons() {
    send(new Event.CallStarted());
    Session ended = session.end("maxDuration");
    assertEquals(new Ending("maxDuration", "maxDuration", null, "main", null),
        ActivityRecords.ending(flow, ended, Secrets.of(flow, Map.of())));
    Ending busy = ActivityRecords.ending(flow, session.end("forward:busy"), Secrets.of(flow, Map.of()));
    assertEquals("forward", busy.kind());
    assertEquals("busy", busy.detail());
    assertEquals("main", busy.state());
    Ending none = ActivityRecords.ending(flow, session, Secrets.of(flow, Map.of()));
    assertEquals("unknown", none.kind());
  }

  @Test
  @DisplayName("without the flow every variable is masked; recordings are kept; the id is stable per call")
  void unknownFlowAndIds() {
    send(new Event.CallStarted());
    session = session.withVar("account", "123456").withRecording(Recording.started("rec-1.wav", "main", 5L)
        .ready("recordingSuccessful", 2048L, null));
    ActivityRecord record = ActivityRecords.build(null, session, now);
    assertEquals(Map.of("account", "***"), record.variables());
    assertEquals(List.of(), record.menus(), "without the flow no state is known to be a menu");
    assertEquals("recordingSuccessful", record.recordings().get(0).outcome());
    assertEquals(2048L, record.recordings().get(0).bytes());

    assertEquals(record.id(), ActivityRecords.build(flow, session, now.plusSeconds(60)).id());
    // Ids of records delivered before must not change: the same name-based UUID as the JDK makes.
    assertEquals(java.util.UUID.nameUUIDFromBytes(("callflow-activity:call-7:" + T0.toEpochMilli())
        .getBytes(StandardCharsets.UTF_8)).toString(), record.id());
    Session other = Session.start("call-8", "shop", flow.version(), Session.Direction.OUTBOUND,
        new Caller("+46701234567", "+46800000009", null, Map.of()), CallIds.of("call-8", null), "main", T0);
    ActivityRecord outbound = ActivityRecords.build(flow, other, now);
    assertNotEquals(record.id(), outbound.id());
    assertEquals("OUTBOUND", outbound.direction());
    assertNull(outbound.ending().transferredTo());
  }

  @Test
  @DisplayName("a record survives the JSON line it is stored as")
  void roundTrip() throws Exception {
    send(new Event.CallStarted());
    send(new Event.IvrRequest(null));
    send(new Event.IvrRequest("2"));
    send(new Event.CallerLeft());
    ActivityRecord record = record();
    assertEquals(record, RecordCodec.decode(RecordCodec.encode(record)));
  }
}
