package io.callflow.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a simulated caller does, one step at a time: {@code wait 2s; press 1; silent; press 12#; hangup}.
 * {@code press} answers the next DTMF collection, {@code silent} lets it time out, {@code wait} pauses before the
 * next step, {@code hangup} leaves the call.
 */
public final class CallerScript {

  /** One step of a script. */
  public sealed interface Step {
  }

  public record Press(String digits) implements Step {
  }

  public record Silent() implements Step {
  }

  public record Wait(long millis) implements Step {
  }

  public record Hangup() implements Step {
  }

  private final List<Step> steps;
  private final Random random;
  private int next;

  private CallerScript(List<Step> steps, Random random) {
    this.steps = steps;
    this.random = random;
  }

  /** Parses a script; a bad step throws with its position and the expected forms. */
  public static CallerScript parse(String script) {
    List<Step> steps = new ArrayList<>();
    String[] parts = script.trim().isEmpty() ? new String[0] : script.split(";");
    for (int i = 0; i < parts.length; i++) {
      steps.add(step(parts[i].trim(), i + 1));
    }
    return new CallerScript(List.copyOf(steps), null);
  }

  /** A caller who presses random keys, sometimes stays silent and sometimes hangs up. */
  public static CallerScript random(long seed) {
    return new CallerScript(List.of(), new Random(seed));
  }

  /** The next step, or null when a scripted caller has nothing more to do. */
  public Step next() {
    if (random != null) {
      int roll = random.nextInt(100);
      if (roll < 5) {
        return new Hangup();
      }
      if (roll < 15) {
        return new Silent();
      }
      return new Press(String.valueOf("0123456789*#".charAt(random.nextInt(12))));
    }
    return next < steps.size() ? steps.get(next++) : null;
  }

  /** The step {@link #next()} would return, without taking it. */
  public Step peek() {
    if (random != null) {
      return null;
    }
    return next < steps.size() ? steps.get(next) : null;
  }

  private static Step step(String text, int position) {
    String[] words = text.split("\\s+");
    switch (words[0]) {
      case "press":
        if (words.length == 2 && words[1].matches("[0-9*#]{1,32}")) {
          return new Press(words[1]);
        }
        break;
      case "silent":
        if (words.length == 1) {
          return new Silent();
        }
        break;
      case "hangup":
        if (words.length == 1) {
          return new Hangup();
        }
        break;
      case "wait":
        if (words.length == 2 && words[1].matches("\\d+(ms|s)")) {
          long amount = Long.parseLong(words[1].replaceAll("\\D", ""));
          return new Wait(words[1].endsWith("ms") ? amount : amount * 1000);
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("script step " + position + " '" + text
        + "': expected press DIGITS, silent, wait Ns|Nms or hangup");
  }
}
