package io.callflow.sim;

/**
 * What a key press does to the prompts of a collecting command. The vendor's enum was lost; following our
 * reference: {@code all} cuts the phrase playing and skips the rest, {@code current} cuts only the phrase playing;
 * anything else (or nothing) lets the prompts play out before keys count.
 */
enum BargeIn {
  NONE, CURRENT, ALL;

  static BargeIn of(Object value) {
    if ("all".equals(value)) {
      return ALL;
    }
    return "current".equals(value) ? CURRENT : NONE;
  }
}
