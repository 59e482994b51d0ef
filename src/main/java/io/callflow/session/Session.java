package io.callflow.session;

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
 * @param answers   the latest decision answer by callback key, so a retried callback gets the same answer
 * @param endReason set once the call is over for the flow
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
    List<Answer> answers,
    Instant startedAt,
    Instant updatedAt,
    String endReason) {

  static final int MAX_TRAIL = 200;
  static final int MAX_ANSWERS = 1;

  public enum Direction { INBOUND, OUTBOUND }

  public Session {
    vars = Map.copyOf(vars);
    trail = List.copyOf(trail);
    answers = List.copyOf(answers);
  }

  public static Session start(String callId, String flowId, String flowVersion, Direction direction, Caller caller,
                              CallIds ids, String startState, Instant now) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, Position.pending(startState),
        Map.of(), List.of(), List.of(), now, now, null);
  }

  public boolean ended() {
    return at.phase() == Position.Phase.ENDED;
  }

  public Session at(Position position) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, position, vars, trail, answers,
        startedAt, updatedAt, endReason);
  }

  public Session withIds(CallIds newIds) {
    return new Session(callId, flowId, flowVersion, direction, caller, newIds, at, vars, trail, answers,
        startedAt, updatedAt, endReason);
  }

  public Session withVar(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(vars);
    next.put(name, value);
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, next, trail, answers,
        startedAt, updatedAt, endReason);
  }

  /** Appends to the trail, dropping the oldest entries beyond {@value #MAX_TRAIL}. */
  public Session log(Activity activity) {
    List<Activity> next = new ArrayList<>(trail.size() + 1);
    next.addAll(trail.size() < MAX_TRAIL ? trail : trail.subList(1, trail.size()));
    next.add(activity);
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, next, answers,
        startedAt, updatedAt, endReason);
  }

  /** Remembers the answer given to the callback {@code key}, keeping the last {@value #MAX_ANSWERS}. */
  public Session withAnswer(String key, String json) {
    List<Answer> next = new ArrayList<>(MAX_ANSWERS);
    next.addAll(answers.size() < MAX_ANSWERS ? answers : answers.subList(1, answers.size()));
    next.add(new Answer(key, json));
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, next,
        startedAt, updatedAt, endReason);
  }

  /** The answer already given to the callback {@code key}, or null. */
  public String answerFor(String key) {
    if (key == null) {
      return null;
    }
    for (Answer answer : answers) {
      if (answer.key().equals(key)) {
        return answer.json();
      }
    }
    return null;
  }

  /** Marks the call over for the flow; the first reason given is kept. */
  public Session end(String reason) {
    return because(reason).at(at.ended());
  }

  /** Records why the call ends (or will end), unless a reason was recorded before. */
  public Session because(String reason) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answers,
        startedAt, updatedAt, endReason == null ? reason : endReason);
  }

  /**
   * What an ended call keeps while it waits to be reaped: enough to answer late and repeated callbacks, without
   * the trail, variables and caller data, so thousands of recently ended calls stay cheap.
   */
  public Session tombstone() {
    return new Session(callId, flowId, flowVersion, direction, new Caller(null, null, null, Map.of()), ids,
        at.ended(), Map.of(), List.of(), answers, startedAt, updatedAt, endReason);
  }

  public Session touched(Instant now) {
    return new Session(callId, flowId, flowVersion, direction, caller, ids, at, vars, trail, answers,
        startedAt, now, endReason);
  }

  /** One answer given, by the callback's key (its replyId or httpTransactionId). */
  public record Answer(String key, String json) {
  }
}
