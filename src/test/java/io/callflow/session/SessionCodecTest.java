package io.callflow.session;

import static io.callflow.Fixtures.MONDAY_10;

import io.callflow.flow.Activity;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Position;
import io.callflow.flow.Recording;
import io.callflow.flow.Session;
import io.callflow.flow.Speech;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

  /** Every component of every record in it set to something other than its default. */
  static Session full() {
    return new Session("c0ffee00-0000-11ef-8000-000000000001", "support", "3f2a9c0b11de",
        Session.Direction.OUTBOUND,
        new Caller("+46701234567", "+46850001000", "Ada", Map.of("x-tier", "gold"), true),
        new CallIds("sess-1", "ivr-reply", "answered-reply", "conn-1", "caller-1", "participant-1", "https://site.example"),
        new Position("account", Position.Phase.PROMPTED, 2, 1),
        Map.of("account", "123456"),
        List.of(new Activity(1_700_000_000_123L, "main", Activity.Kind.of("selected"), "3")),
        new Session.Answer("ivr-reply", "{\"action\":\"ivr\"}"),
        List.of(new Recording("rec-1.wav", "voicemail", 1_700_000_001_000L, "recordingSuccessful", 4096L, "done")),
        1_700_000_000_000L, 1_700_000_002_000L, 1_700_000_600_000L, "hangup", new Speech("sv-SE", "Astrid", "sv"));
  }

  /** A call waiting in a menu as the server holds it: vendor-length replyId, its answer, a short trail. */
  static Session typical() {
    String replyId = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "x".repeat(140) + ".c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc";
    String callId = "c0ffee00-0000-11ef-8000-000000000001";
    return Session.start(callId, "bench", "3f2a9c0b11de", Session.Direction.INBOUND,
            new Caller("+46701234567", "+46850009999", null, Map.of()), CallIds.of(callId, null), "main",
            MONDAY_10)
        .withIds(CallIds.ivr(callId, replyId, null))
        .log(new Activity(1_700_000_000_123L, "main", Activity.Kind.of("entered"), "menu"))
        .at(Position.of("main", Position.Phase.PROMPTED))
        .withAnswer(replyId, "{\"phrases\":[{\"format\":\"awstts\",\"text\":\"Press 1 for sales, 2 for support, "
            + "3 for your account.\",\"voiceId\":\"Joanna\",\"language\":\"en-US\",\"region\":\"eu-west-1\"}],"
            + "\"bargeIn\":\"all\",\"dtmf\":{\"maxDigits\":1,\"firstTimeout\":5000,\"betweenTimeout\":3000}}");
  }

  @Test
  @DisplayName("a session with every component set comes back equal, nested records included")
  void roundTrip() {
    Session full = full();
    assertAllSet("Session", full);
    assertEquals(full, SessionCodec.decode(SessionCodec.encode(full)));
  }

  @Test
  @DisplayName("a fresh session (nulls, empty lists, no answer) and a tombstone round-trip too")
  void sparse() {
    Session fresh = Session.start("c1", "f", "v1", Session.Direction.INBOUND, new Caller(null, null, null, null),
        CallIds.of("c1", null), "main", java.time.Instant.EPOCH);
    assertEquals(fresh, SessionCodec.decode(SessionCodec.encode(fresh)));
    Session tombstone = full().end("completed").tombstone();
    assertEquals(tombstone, SessionCodec.decode(SessionCodec.encode(tombstone)));
  }

  @Test
  @DisplayName("bytes from an instance with an extra session field are still read: unknown fields are skipped")
  void newerWriter() throws Exception {
    ObjectMapper smile = new ObjectMapper(new com.fasterxml.jackson.dataformat.smile.SmileFactory());
    Map<?, ?> fields = smile.readValue(SessionCodec.encode(full()), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> more = new java.util.LinkedHashMap<>((Map<String, Object>) fields);
    more.put("addedLater", List.of(1, 2, 3));
    assertEquals(full(), SessionCodec.decode(smile.writeValueAsBytes(more)));
  }

  @Test
  @DisplayName("a typical live session is smaller in Smile than in JSON")
  void compact() throws Exception {
    Session typical = typical();
    int smile = SessionCodec.encode(typical).length;
    int json = new ObjectMapper().writeValueAsBytes(typical).length;
    System.out.printf("typical session: %d bytes Smile, %d bytes JSON%n", smile, json);
    assertTrue(smile < json, smile + " vs " + json);
    assertEquals(typical, SessionCodec.decode(SessionCodec.encode(typical)));
  }

  /** Fails naming the first component left at its default, so the fixture keeps up with new fields. */
  private static void assertAllSet(String path, Object value) {
    if (value == null || value instanceof Number n && n.longValue() == 0 || value instanceof Boolean b && !b
        || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty()) {
      fail(path + " is left at its default in the fixture: set it, so the round trip covers it");
    }
    if (value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        try {
          assertAllSet(path + "." + component.getName(), component.getAccessor().invoke(value));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    } else if (value instanceof Collection<?> c) {
      c.forEach(item -> assertAllSet(path + "[]", item));
    } else if (value instanceof Map<?, ?> m) {
      m.values().forEach(item -> assertAllSet(path + "{}", item));
    }
  }
}
