package io.callflow.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened on one simulated call, in order, as a person listening in would tell it; filled by the call as it
 * runs and safe to read from any thread.
 */
public final class Transcript {

  /**
   * One line. {@code kind} is one of: callback (name posted), answer (its gist), heard, cut (a phrase a key cut),
   * pressed, typed, silent, flushed, collected (reason and match), background (a background prompt starts),
   * background-stop (a command stops it), hold (it still plays under a command with phrases or a collection),
   * interrupted, forward, connected, failed (destination and SIP code), hangup (who), dropped (dropCode),
   * recording, split (a connection split into its participants), error.
   *
   * @param atMillis real milliseconds since the call started
   */
  public record Entry(long atMillis, String kind, String detail) {
    @Override
    public String toString() {
      return String.format("%6d ms  %-10s %s", atMillis, kind, detail);
    }
  }

  private final long started = System.nanoTime();
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> protocolErrors = new ArrayList<>();
  private final String sessionId;
  private String outcome;

  Transcript(String sessionId) {
    this.sessionId = sessionId;
  }

  synchronized void add(String kind, String detail) {
    entries.add(new Entry((System.nanoTime() - started) / 1_000_000, kind, detail));
  }

  synchronized void protocolError(String error) {
    protocolErrors.add(error);
    add("error", error);
  }

  synchronized void outcome(String how) {
    if (outcome == null) {
      outcome = how;
    }
  }

  /** The mediaservice sessionId of the call. */
  public String sessionId() {
    return sessionId;
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Each prompt heard (also the ones a key cut): the spoken text, or file:NAME / url:URL. */
  public List<String> heard() {
    return details("heard");
  }

  /** The keys the caller pressed, one item per collection that took them. */
  public List<String> pressed() {
    return details("pressed");
  }

  /** How each DTMF collection ended: its reason, then the match if any. */
  public List<String> collected() {
    return details("collected");
  }

  /** The destinations the call was forwarded to, in order. */
  public List<String> forwards() {
    return details("forward");
  }

  /** The destinations that answered. */
  public List<String> connected() {
    return details("connected");
  }

  /** The callbacks posted, by name, in order. */
  public List<String> callbacks() {
    return details("callback");
  }

  /** The gist of each answer, e.g. {@code newCall → ivr}, {@code callEvent → call sip:x maxRingTime 20.0}. */
  public List<String> answers() {
    return details("answer");
  }

  public synchronized List<String> details(String kind) {
    List<String> details = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.kind().equals(kind)) {
        details.add(entry.detail());
      }
    }
    return details;
  }

  /**
   * How the call ended: caller-hangup, ivr-hangup, dropped, dropped:CODE, failed:SIPCODE (a placed call not
   * reached), api-hangup, time-limit or error; null while it runs.
   */
  public synchronized String outcome() {
    return outcome;
  }

  public synchronized List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder("call " + sessionId + " → " + outcome + "\n");
    entries.forEach(e -> text.append("  ").append(e).append('\n'));
    return text.toString();
  }
}
