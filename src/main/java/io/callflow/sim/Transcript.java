package io.callflow.sim;

import java.util.ArrayList;
import java.util.List;

/** What happened on one simulated call, in order, as a person listening in would tell it. */
public final class Transcript {

  /** One line: {@code kind} is callback, heard, pressed, silent, forward, connected, failed, hangup, dropped … */
  public record Entry(long atMillis, String kind, String detail) {
    @Override
    public String toString() {
      return String.format("%6d ms  %-10s %s", atMillis, kind, detail);
    }
  }

  private final long started = System.nanoTime();
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> protocolErrors = new ArrayList<>();
  private String outcome;
  private final String sessionId;

  Transcript(String sessionId) {
    this.sessionId = sessionId;
  }

  void add(String kind, String detail) {
    entries.add(new Entry((System.nanoTime() - started) / 1_000_000, kind, detail));
  }

  void protocolError(String error) {
    protocolErrors.add(error);
    add("error", error);
  }

  void outcome(String outcome) {
    if (this.outcome == null) {
      this.outcome = outcome;
    }
  }

  public String sessionId() {
    return sessionId;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Each prompt heard: the spoken text, or file:NAME / url:URL. */
  public List<String> heard() {
    return details("heard");
  }

  /** The digits pressed per collection. */
  public List<String> pressed() {
    return details("pressed");
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

  public List<String> details(String kind) {
    List<String> details = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.kind().equals(kind)) {
        details.add(entry.detail());
      }
    }
    return details;
  }

  /** How the call ended: caller-hangup, ivr-hangup, dropped[:code], connected-then-dropped, error … */
  public String outcome() {
    return outcome;
  }

  public List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("call " + sessionId + " → " + outcome + "\n");
    entries.forEach(e -> text.append("  ").append(e).append('\n'));
    return text.toString();
  }
}
