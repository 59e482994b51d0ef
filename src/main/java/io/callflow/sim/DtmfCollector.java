package io.callflow.sim;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How one DTMF collection ends, worked out ahead in simulated time (milliseconds from the command's start): which
 * keys it takes, why it stops, when, and which keys are left over for the buffer. Pure, so it is tested alone.
 */
final class DtmfCollector {

  /** Time between two keys of one {@code press}: a quick but human typist. */
  static final long KEY_GAP_MILLIS = 250;

  /**
   * The collection's result.
   *
   * @param received   the keys the collection took, termination key included (sent as dtmfBuffer)
   * @param match      the keys that satisfied it, termination key excluded (dtmfMatch)
   * @param endAt      when it ended
   * @param firstKeyAt when its first key came (it cuts the prompts under barge-in), or -1
   * @param leftover   keys typed after it ended: they wait in the buffer
   * @param usedPress  whether the caller's keys were reached; if not, they stay for the next collection
   */
  record Result(String reason, String match, String received, String matchedKey, long endAt, long firstKeyAt,
                String leftover, boolean usedPress) {

    /** The fields the next getIvrCommand carries; digits hashed when the command asked for encryption. */
    JsonObject outcome(Dtmf dtmf) {
      JsonObject params = new JsonObject().put("dtmfMatch", dtmf.protect(match)).put("reason", reason);
      if (matchedKey != null) {
        params.put("matchedTerminationKey", matchedKey);
      }
      params.put("encryption", dtmf.encryption().copy());
      JsonObject outcome = new JsonObject();
      if (!received.isEmpty()) {
        outcome.put("dtmfBuffer", dtmf.protect(received));
      }
      return outcome.put("dtmfParams", params);
    }
  }

  private record Key(char key, long at, boolean pressed) {
  }

  private DtmfCollector() {
  }

  /**
   * @param buffered  keys already in the DTMF buffer (after any flush)
   * @param play      how long the command's prompts play uninterrupted
   * @param bargeIn   whether keys count (and cut the prompts) while they play
   * @param pressed   the caller's keys for this collection, or null for a silent caller
   * @param readyAt   the earliest moment the caller presses them
   */
  static Result collect(Dtmf dtmf, String buffered, long play, boolean bargeIn, String pressed, long readyAt) {
    long opens = bargeIn ? 0 : play;
    long firstDeadline = play + dtmf.firstTimeoutMillis();
    List<Key> keys = new ArrayList<>();
    for (char key : buffered.toCharArray()) {
      keys.add(new Key(key, opens, false));
    }
    if (pressed != null) {
      long gap = Math.max(1, Math.min(KEY_GAP_MILLIS, dtmf.betweenTimeoutMillis() / 2));
      long start = Math.max(opens, readyAt);
      for (int i = 0; i < pressed.length(); i++) {
        keys.add(new Key(pressed.charAt(i), start + i * gap, true));
      }
    }
    StringBuilder match = new StringBuilder();
    StringBuilder received = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      Key key = keys.get(i);
      long previous = i == 0 ? -1 : keys.get(i - 1).at();
      if (i == 0 && key.at() > firstDeadline) {
        return new Result("firstTimeout", "", "", null, firstDeadline, -1, "", false);
      }
      if (i > 0 && key.at() - previous > dtmf.betweenTimeoutMillis()) {
        return ended("betweenTimeout", match, received, null, previous + dtmf.betweenTimeoutMillis(), keys, i);
      }
      received.append(key.key());
      if (dtmf.isTerminationKey(key.key())) {
        return ended("terminationKey", match, received, String.valueOf(key.key()), key.at(), keys, i + 1);
      }
      match.append(key.key());
      if (match.length() >= dtmf.maxDigits()) {
        return ended("maxDigits", match, received, null, key.at(), keys, i + 1);
      }
    }
    if (keys.isEmpty()) {
      return new Result("firstTimeout", "", "", null, firstDeadline, -1, "", false);
    }
    long last = keys.get(keys.size() - 1).at();
    return ended("betweenTimeout", match, received, null, last + dtmf.betweenTimeoutMillis(), keys, keys.size());
  }

  /** A collection that ended before key {@code next}: the caller's later keys go to the buffer if they were typed. */
  private static Result ended(String reason, CharSequence match, CharSequence received, String matchedKey, long at,
                              List<Key> keys, int next) {
    boolean usedPress = keys.subList(0, next).stream().anyMatch(Key::pressed);
    StringBuilder leftover = new StringBuilder();
    for (Key key : keys.subList(next, keys.size())) {
      // Keys of a press the collection never reached stay in the script for the next collection.
      if (!key.pressed() || usedPress) {
        leftover.append(key.key());
      }
    }
    return new Result(reason, match.toString(), received.toString(), matchedKey, at, keys.get(0).at(),
        leftover.toString(), usedPress);
  }
}
