package io.callflow.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything callflow remembers about one call, small and flat so it serializes compactly. Immutable: the engine
 * returns a new one for every step.
 *
 * @param callId    callflow's key: the mediaservice sessionId for inbound calls, a UUID for outbound ones
 * @param at        where the call is in its flow
 * @param vars      flow variables (collected digits, set values)
 * @param trail     what happened, for the activity record; bounded
 * @param answer    the latest decision answer, by callback key, so a retried callback gets the same answer; null
 *                  before the first
 * @param recordings what was recorded in this call, with the mediaservice's result once it arrives
 * @param startedAtMillis when the call started, epoch milliseconds (numbers keep a session small)
 * @param updatedAtMillis when it last changed; the TTL counts from here
 * @param deadlineMillis when the flow's maxDuration ends the call, epoch milliseconds; 0 when it has none
 * @param endReason set once the call is over for the flow
 * @param speech    the language, voice and prompt folder a {@code language} state chose; null: the flow's
 */
public record Session(
    String callId,
    String flowId,
    String flowVersion,
    Direction direction,
    Caller caller,
    CallIds ids,
    Position at,
    Map<String, String> vars,
    List<Activity> trail,
    Answer answer,
    List<Recording> recordings,
    long startedAtMillis,
    long updatedAtMillis,
    long deadlineMillis,
    String endReason,
    Speech speech) {

  static final int MAX_TRAIL = 200;

  public enum Direction { INBOUND, OUTBOUND }

  public Session {
    vars = Map.copyOf(vars);
    trail = List.copyOf(trail);
    recordings = recordings == null ? List.of() : List.copyOf(recordings);
  }

  public static Session start(String callId, String flowId, String flowVersion, Direction direction, Caller caller,
                              CallIds ids, String startState, Instant now) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, Position.pending(startState),
        Map.of(), List.of(), null, List.of(), now.toEpochMilli(), now.toEpochMilli(), 0, null, null);
  }

  public Instant startedAt() {
    return Instant.ofEpochMilli(startedAtMillis);
  }

  public Instant updatedAt() {
    return Instant.ofEpochMilli(updatedAtMillis);
  }

  public boolean ended() {
    return at.phase() == Position.Phase.ENDED;
  }

  public Session at(Position position) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, position, vars, trail, answer,
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  public Session withIds(CallIds newIds) {
    return new Session(callId, flowId, flowVersion, direction, caller, newIds, at, vars, trail, answer,
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  public Session withVar(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(vars);
    next.put(name, value);
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, next, trail, answer,
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  /** Appends to the trail, dropping the oldest entries beyond {@value #MAX_TRAIL}. */
  public Session log(Activity activity) {
    List<Activity> next = new ArrayList<>(trail.size() + 1);
    next.addAll(trail.size() < MAX_TRAIL ? trail : trail.subList(1, trail.size()));
    next.add(activity);
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, next, answer,
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  /** Remembers the answer given to the callback {@code key}, in place of the one before. */
  public Session withAnswer(String key, String body) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, new Answer(key, body),
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  /** The answer already given to the callback {@code key}, or null. */
  public String answerFor(String key) {
    return key != null && answer != null && answer.key().equals(key) ? answer.body() : null;
  }

  /** Marks the call over for the flow; the first reason given is kept. */
  public Session end(String reason) {
    return because(reason).at(at.ended());
  }

  /** Records why the call ends (or will end), unless a reason was recorded before. */
  public Session because(String reason) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answer,
        recordings, startedAtMillis, updatedAtMillis, deadlineMillis, endReason == null ? reason : endReason, speech);
  }

  /**
   * What an ended call keeps while it waits to be reaped (the short tombstone time): everything, so that late and
   * repeated callbacks are answered and the admin API shows the just-ended call with its data, where it ended.
   */
  public Session tombstone() {
    return at(at.ended());
  }

  public Session touched(Instant now) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answer,
        recordings, startedAtMillis, now.toEpochMilli(), deadlineMillis, endReason, speech);
  }

  /** Ends the call at {@code deadline} (the flow's maxDuration from the start). */
  public Session withDeadline(Instant deadline) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answer, recordings,
        startedAtMillis, updatedAtMillis, deadline.toEpochMilli(), endReason, speech);
  }

  /** From now on the call speaks as {@code chosen} says, keeping earlier choices it leaves open. */
  public Session speaking(Speech chosen) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answer, recordings,
        startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech == null ? chosen : speech.then(chosen));
  }

  /** Adds a recording, or replaces the one with the same file name (its result has arrived). */
  public Session withRecording(Recording recording) {
    List<Recording> next = new ArrayList<>(recordings);
    next.removeIf(r -> r.file().equals(recording.file()));
    next.add(recording);
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answer, next,
        startedAtMillis, updatedAtMillis, deadlineMillis, endReason, speech);
  }

  /**
   * One answer given, by the callback's key (its replyId or httpTransactionId). {@code body} leaves out the fields
   * that echo the call's ids (they are put back when it is sent), so a session does not hold them twice.
   */
  public record Answer(String key, String body) {
  }
}
