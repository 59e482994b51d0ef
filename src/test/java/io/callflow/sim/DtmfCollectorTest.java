package io.callflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DTMF collections and prompt barge-in worked out in simulated time, without any HTTP. */
class DtmfCollectorTest {

  private static Dtmf dtmf(int maxDigits, String key) {
    return Dtmf.parse(new JsonObject().put("maxDigits", maxDigits).put("terminationKey", key)
        .put("firstTimeout", 5).put("betweenTimeout", 3));
  }

  @ParameterizedTest(name = "pressed {0} with maxDigits {1} and key ''{2}'' → {3} ({4}), leftover ''{5}''")
  @CsvSource({
      "12#, 10, #, 12, terminationKey, ''",
      "1, 1, '', 1, maxDigits, ''",
      "123, 2, '', 12, maxDigits, 3",
      "12, 4, #, 12, betweenTimeout, ''",
      "#, 1, '', #, maxDigits, ''",
      "#, 3, #, '', terminationKey, ''",
      "12#45, 10, *#, 12, terminationKey, 45",
  })
  @DisplayName("a collection ends by its maxDigits, its termination key or a pause; the key is not in dtmfMatch")
  void outcomes(String pressed, int maxDigits, String key, String match, String reason, String leftover) {
    DtmfCollector.Result result = DtmfCollector.collect(dtmf(maxDigits, key), "", 2000, false, pressed, 0);
    assertEquals(match, result.match());
    assertEquals(reason, result.reason());
    assertEquals(leftover, result.leftover());
    JsonObject outcome = result.outcome(dtmf(maxDigits, key));
    assertEquals(match, outcome.getJsonObject("dtmfParams").getString("dtmfMatch"));
    assertEquals(reason.equals("terminationKey") ? "#" : null,
        outcome.getJsonObject("dtmfParams").getString("matchedTerminationKey"));
  }

  @Test
  @DisplayName("a silent caller times out firstTimeout seconds after the prompts, with empty digits and no buffer")
  void silent() {
    DtmfCollector.Result result = DtmfCollector.collect(dtmf(1, ""), "", 2000, true, null, 0);
    assertEquals("firstTimeout", result.reason());
    assertEquals(7000, result.endAt());
    JsonObject outcome = result.outcome(dtmf(1, ""));
    assertEquals("", outcome.getJsonObject("dtmfParams").getString("dtmfMatch"));
    assertFalse(outcome.containsKey("dtmfBuffer"));
  }

  @Test
  @DisplayName("keys the caller is not ready to press before the first timeout stay for the next collection")
  void tooLate() {
    DtmfCollector.Result result = DtmfCollector.collect(dtmf(1, ""), "", 2000, false, "1", 9000);
    assertEquals("firstTimeout", result.reason());
    assertFalse(result.usedPress());
  }

  @Test
  @DisplayName("buffered keys satisfy a collection at once, and the caller's keys wait for the next one")
  void buffered() {
    DtmfCollector.Result result = DtmfCollector.collect(dtmf(2, "#"), "23", 2000, true, "9", 0);
    assertEquals("23", result.match());
    assertEquals("maxDigits", result.reason());
    assertEquals(0, result.endAt());
    assertFalse(result.usedPress());
    assertEquals("", result.leftover());
    DtmfCollector.Result more = DtmfCollector.collect(dtmf(3, "#"), "2", 2000, false, "5#", 0);
    assertEquals("25", more.match());
    assertEquals("25#", more.received());
    assertTrue(more.usedPress());
  }

  @Test
  @DisplayName("with bargeIn all a key cuts the playing phrase and skips the rest; with current the rest still play")
  void bargeIn() {
    List<Phrase> phrases = List.of(new Phrase("file", "file:a", 2000), new Phrase("file", "file:b", 2000),
        new Phrase("file", "file:c", 2000));
    List<Playback.Slot> all = Playback.slots(phrases, BargeIn.ALL, 2500);
    assertEquals(List.of("file:a", "file:b"), all.stream().map(s -> s.phrase().heard()).toList());
    assertTrue(all.get(1).cut());
    assertEquals(2500, Playback.end(all));
    List<Playback.Slot> current = Playback.slots(phrases, BargeIn.CURRENT, 2500);
    assertEquals(3, current.size());
    assertEquals(4500, Playback.end(current));
    assertEquals(6000, Playback.end(Playback.slots(phrases, BargeIn.NONE, 2500)));
  }
}
