package io.callflow.report;

import java.util.List;
import java.util.Map;

/**
 * What one call did, built once when it ends: who called whom on which flow version, the menus visited and what
 * was chosen, the collected variables (secret ones masked), recordings, alarms, how it ended, and every trail
 * entry. Times are epoch milliseconds. {@code id} is the idempotency key: the same call always gets the same id,
 * so receivers can drop a record delivered twice. {@code schemaVersion} is {@link #SCHEMA_VERSION} in every record
 * written now; it goes up only when a field changes meaning or goes away (new fields may appear without it), and a
 * record from before it existed reads as 0 with the same fields.
 */
public record ActivityRecord(
    int schemaVersion,
    String id,
    String callId,
    String flow,
    String flowVersion,
    String direction,
    String callingParty,
    String calledParty,
    long startedAt,
    long endedAt,
    List<MenuVisit> menus,
    Map<String, String> variables,
    List<RecordingEntry> recordings,
    Ending ending,
    List<Alarm> alarms,
    List<Event> events) {

  /** The version of this shape that callflow writes. */
  public static final int SCHEMA_VERSION = 1;

  public ActivityRecord {
    menus = List.copyOf(menus);
    variables = Map.copyOf(variables);
    recordings = List.copyOf(recordings);
    alarms = List.copyOf(alarms);
    events = List.copyOf(events);
  }

  /**
   * One visit to a menu: entered at {@code at}; {@code selection} is the key pressed and {@code next} the state it
   * led to, both null when the caller left the menu without a valid choice.
   */
  public record MenuVisit(String menu, long at, String selection, String next, int noInput, int invalid) {
  }

  /**
   * How the call ended. {@code reason} is the engine's reason as given (e.g. "callerHangup:main", "forward:busy",
   * "maxDuration"); {@code kind} is its part before the colon and {@code detail} the rest; {@code state} is where
   * the call was (for a transfer, the forward state that connected); {@code transferredTo} the connected
   * destination, if any.
   */
  public record Ending(String reason, String kind, String detail, String state, String transferredTo) {

    public boolean transferred() {
      return io.callflow.flow.EndReason.TRANSFERRED.is(kind);
    }
  }

  /** A recording of the call and the mediaservice's result (null outcome: no result arrived). */
  public record RecordingEntry(String file, String state, long at, String outcome, Long bytes, String reason) {
  }

  /** An alarm the mediaservice raised about the call, in {@code state}. */
  public record Alarm(long at, String state, String type, String error) {
  }

  /** One trail entry: at {@code at}, in {@code state}, {@code kind} happened ({@code detail} masked). */
  public record Event(long at, String state, String kind, String detail) {
  }
}
