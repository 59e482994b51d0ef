package io.callflow.sim;

import java.util.ArrayList;
import java.util.List;

/** When each phrase of a command plays, in simulated milliseconds from the command's start, given barge-in. */
final class Playback {

  /** One phrase's slot; {@code cut} when a key press stopped it. */
  record Slot(Phrase phrase, long start, long end, boolean cut) {
  }

  private Playback() {
  }

  /** The slots of the phrases that play when the first key comes at {@code keyAt} (negative: no key). */
  static List<Slot> slots(List<Phrase> phrases, BargeIn bargeIn, long keyAt) {
    List<Slot> slots = new ArrayList<>();
    long at = 0;
    boolean cutDone = false;
    for (Phrase phrase : phrases) {
      long end = at + phrase.millis();
      boolean cut = !cutDone && bargeIn != BargeIn.NONE && keyAt >= 0 && keyAt >= at && keyAt < end;
      if (cut) {
        slots.add(new Slot(phrase, at, keyAt, true));
        cutDone = true;
        if (bargeIn == BargeIn.ALL) {
          break;
        }
        at = keyAt;
        continue;
      }
      slots.add(new Slot(phrase, at, end, false));
      at = end;
    }
    return slots;
  }

  /** When the last phrase stops. */
  static long end(List<Slot> slots) {
    return slots.isEmpty() ? 0 : slots.get(slots.size() - 1).end();
  }

  static long total(List<Phrase> phrases) {
    return phrases.stream().mapToLong(Phrase::millis).sum();
  }
}
