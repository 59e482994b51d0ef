package io.callflow.flow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator-written call flow: the numbers it answers, where it starts, its states, and the failsafe that takes
 * over when anything goes wrong. {@code maxDuration} (seconds, optional) bounds every call's length; {@code inputs}
 * name the variables an outbound call must be given. {@code version} is the content hash the parser sets, never read
 * from the file.
 */
public record Flow(
    @JsonProperty("$schema") String schema,
    String id,
    String name,
    String description,
    List<String> numbers,
    String start,
    Failsafe failsafe,
    Voice voice,
    Integer maxDuration,
    List<String> inputs,
    Map<String, State> states,
    @JsonIgnore String version) {

  /** The reserved target that sends the caller to the flow's failsafe. */
  public static final String FAILSAFE = "failsafe";

  public Flow {
    numbers = numbers == null ? List.of() : List.copyOf(numbers);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    states = states == null ? Map.of() : new LinkedHashMap<>(states);
    failsafe = failsafe == null ? new Failsafe(null, null) : failsafe;
    if (maxDuration != null && (maxDuration < 10 || maxDuration > 86_400)) {
      throw InvalidFields.at("maxDuration", "maxDuration must be 10-86400 seconds");
    }
    if (states.containsKey(FAILSAFE)) {
      throw new IllegalArgumentException("'" + FAILSAFE + "' is reserved and cannot name a state");
    }
  }

  /** This flow with {@code states} instead of its own (the parser binds each state on its own). */
  Flow withStates(Map<String, State> states) {
    return new Flow(schema, id, name, description, numbers, start, failsafe, voice, maxDuration, inputs, states,
        version);
  }

  public Flow withVersion(String contentHash) {
    return new Flow(schema, id, name, description, numbers, start, failsafe, voice, maxDuration, inputs, states,
        contentHash);
  }

  /** The state with this id; the reserved id {@code failsafe} yields the state the failsafe stands for. */
  public State state(String stateId) {
    if (FAILSAFE.equals(stateId)) {
      return failsafe.asState();
    }
    State state = states.get(stateId);
    if (state == null) {
      throw new IllegalStateException("flow " + id + " has no state '" + stateId + "'");
    }
    return state;
  }

  /** Where a failing call goes: a forward to {@code destination} if set, else {@code message} and a hang-up. */
  public record Failsafe(String destination, String message) {
    static final String DEFAULT_MESSAGE = "We are sorry, we cannot take your call right now. Please try again later.";

    public String messageOrDefault() {
      return message == null ? DEFAULT_MESSAGE : message;
    }

    State asState() {
      List<Prompt> apology = List.of(Prompt.say(messageOrDefault()));
      return destination == null
          ? new State.Hangup(apology, "temporarilyUnavailable")
          : State.Forward.to(destination, apology);
    }
  }

  /**
   * Text-to-speech settings for {@code say} prompts; unset fields fall back to the server's defaults.
   * {@code cacheTimeToLive} and {@code refreshCache} are the vendor's phrase caching for every say prompt of the
   * flow (a prompt may set its own): fixed prompts are then not synthesised on every call.
   */
  public record Voice(String engine, String voiceId, String language, String cacheTimeToLive, Boolean refreshCache) {

    public Voice(String engine, String voiceId, String language) {
      this(engine, voiceId, language, null, null);
    }
  }
}
