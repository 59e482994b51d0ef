package io.callflow.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a simulated caller does, one step at a time: {@code wait 2s; press 1; silent; press 12#; hangup}.
 * <ul>
 *   <li>{@code press DIGITS}: the keys of the next DTMF collection, entered when it starts (during the prompts when
 *       the command allows barge-in, so they cut them);</li>
 *   <li>{@code silent}: lets the next collection time out;</li>
 *   <li>{@code type DIGITS}: keys typed during the next command whatever it is; when it collects nothing they wait
 *       in the DTMF buffer for a later collection (unless that one flushes it);</li>
 *   <li>{@code wait Ns|Nms}: the caller does its next step this much later;</li>
 *   <li>{@code hangup}: the caller leaves, whatever is happening (a prompt, a ringing or connected forward).</li>
 * </ul>
 * One script serves one call: it is consumed as the call runs.
 */
public final class CallerScript {

  /** One step of a script. */
  public sealed interface Step {
  }

  public record Press(String digits) implements Step {
  }

  public record Silent() implements Step {
  }

  public record Type(String digits) implements Step {
  }

  public record Wait(long millis) implements Step {
  }

  public record Hangup() implements Step {
  }

  private static final String KEYS = "0123456789*#";
  private static final String FORMS = "expected press DIGITS, silent, type DIGITS, wait Ns|Nms or hangup";

  private final List<Step> steps;
  private final Random random;
  private int next;
  /** A random caller's next step, drawn when first looked at so that peek and next agree. */
  private Step drawn;

  private CallerScript(List<Step> steps, Random random) {
    this.steps = steps;
    this.random = random;
  }

  /** Parses a script; a bad step throws with its position and the expected forms. */
  public static CallerScript parse(String script) {
    List<Step> steps = new ArrayList<>();
    String[] parts = script.trim().split(";", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      boolean trailing = i == parts.length - 1;
      if (part.isEmpty() && (trailing || parts.length == 1)) {
        continue;
      }
      steps.add(step(part, i + 1));
    }
    return new CallerScript(List.copyOf(steps), null);
  }

  /** A caller who presses random keys, sometimes several ending with #, sometimes stays silent or hangs up. */
  public static CallerScript random(long seed) {
    return new CallerScript(List.of(), new Random(seed));
  }

  /** The next step, taken; null when a scripted caller has nothing more to do. */
  public Step next() {
    Step step = peek();
    if (random != null) {
      drawn = null;
    } else if (step != null) {
      next++;
    }
    return step;
  }

  /** The step {@link #next()} would return, without taking it. */
  public Step peek() {
    if (random != null) {
      if (drawn == null) {
        drawn = draw();
      }
      return drawn;
    }
    return next < steps.size() ? steps.get(next) : null;
  }

  /** The steps of a parsed script, all of them. */
  public List<Step> steps() {
    return steps;
  }

  private Step draw() {
    int roll = random.nextInt(100);
    if (roll < 5) {
      return new Hangup();
    }
    if (roll < 15) {
      return new Silent();
    }
    if (roll < 25) {
      StringBuilder digits = new StringBuilder();
      for (int i = 1 + random.nextInt(6); i > 0; i--) {
        digits.append(KEYS.charAt(random.nextInt(10)));
      }
      return new Press(digits.append('#').toString());
    }
    return new Press(String.valueOf(KEYS.charAt(random.nextInt(KEYS.length()))));
  }

  private static Step step(String text, int position) {
    String[] words = text.split("\\s+");
    String where = "script step " + position + " '" + text + "'";
    switch (words[0]) {
      case "press":
      case "type":
        if (words.length == 2 && words[1].matches("[0-9*#]{1,32}")) {
          return words[0].equals("press") ? new Press(words[1]) : new Type(words[1]);
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
        if (words.length == 2) {
          return new Wait(duration(words[1], where));
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(where + ": " + FORMS);
  }

  /** Parses {@code 2s}, {@code 1.5s} or {@code 300ms} into milliseconds. */
  static long duration(String word, String where) {
    if (!word.matches("\\d{1,9}(\\.\\d{1,3})?(ms|s)")) {
      throw new IllegalArgumentException(where + ": '" + word + "' is not a duration like 2s, 1.5s or 300ms");
    }
    boolean millis = word.endsWith("ms");
    double amount = Double.parseDouble(word.substring(0, word.length() - (millis ? 2 : 1)));
    return Math.round(millis ? amount : amount * 1000);
  }
}
