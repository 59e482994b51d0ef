package io.callflow.flow;

import java.time.Instant;

/**
 * One entry of a call's trail: at {@code atMillis} (epoch milliseconds, kept as a number so a trail stays small), in
 * {@code state}, {@code kind} happened (e.g. selected "2").
 */
public record Activity(long atMillis, String state, Kind kind, String detail) {

  public Activity(Instant at, String state, Kind kind, String detail) {
    this(at.toEpochMilli(), state, kind, detail);
  }

  /** What can happen in a call, as the trail, the records and the admin API name it ({@link #wire}). */
  public enum Kind {
    /** The mediaservice raised an alarm (detail: type: error). */
    ALARM("alarm"),
    /** An outbound call's callee answered (detail: the number). */
    ANSWERED("answered"),
    /** A mediaservice request failed (detail: operation: detail). */
    API_FAILED("apiFailed"),
    /** The connected callee hung up. */
    CALLEE_HANGUP("calleeHangup"),
    /** The caller hung up. */
    CALLER_HANGUP("callerHangup"),
    /** Digits stored (detail: variable=value, masked when secret). */
    COLLECTED("collected"),
    /** The mediaservice ended the session (detail: its reason). */
    COMPLETED("completed"),
    /** The forward's callee answered. */
    CONNECTED("connected"),
    /** The call entered the state. */
    ENTERED("entered"),
    /** The failsafe took over (detail: why). */
    FAILSAFE("failsafe"),
    /** A forward rings (detail: destination). */
    FORWARDING("forwarding"),
    /** Callflow ends the call (detail: why). */
    HANGUP_REQUESTED("hangupRequested"),
    /** It failed (detail: why). */
    HTTP_ERROR("httpError"),
    /** Its answer arrived and mapped (detail: status). */
    HTTP_OK("httpOk"),
    /** Input no option or length allows (detail: the keys, masked when secret). */
    INVALID("invalid"),
    /** A language state changed the call's speech (detail: language). */
    LANGUAGE("language"),
    /** A move was refused: the call is not in the IVR. */
    MOVE_REFUSED("moveRefused"),
    /** An operator moved the call (detail: target). */
    MOVED("moved"),
    /** The caller pressed nothing (detail: how many times so far). */
    NO_INPUT("noInput"),
    /** A recording stopped (detail: file). */
    RECORDED("recorded"),
    /** A recording started (detail: file). */
    RECORDING("recording"),
    /** The mediaservice accepted startrecording (detail: file). */
    RECORDING_STARTED("recordingStarted"),
    /**
     * The stop key (or the recording's end) came before startrecording was confirmed: the caller holds until it is,
     * or until it is known not to have started (detail: file).
     */
    RECORDING_UNCONFIRMED("recordingUnconfirmed"),
    /** A recording's result arrived. */
    RECORDING_READY("recordingReady"),
    /** A recording could not start. */
    RECORDING_UNAVAILABLE("recordingUnavailable"),
    /** An http state's request went out (detail: method). */
    REQUESTED("requested"),
    /** A menu option was chosen (detail: its key). */
    SELECTED("selected"),
    /** A connection was split off the call. */
    SPLIT("split"),
    /** No-input tries used up: the no-input exit. */
    NO_INPUT_EXHAUSTED("noInputExhausted"),
    /** Invalid tries used up: the invalid exit. */
    INVALID_EXHAUSTED("invalidExhausted"),
    /** A callee was busy (detail: SIP status). */
    BUSY("busy"),
    /** A callee did not answer (detail: SIP status). */
    NO_ANSWER("noAnswer"),
    /** A call set-up failed otherwise (detail: SIP status). */
    FAILED("failed"),
    /** Office hours: open. */
    OPEN("open"),
    /** Office hours: closed. */
    CLOSED("closed"),
    /** Office hours: a holiday. */
    HOLIDAY("holiday");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The name in sessions, records and the admin API. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return wire;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind of(String wire) {
      for (Kind kind : values()) {
        if (kind.wire.equals(wire)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no activity kind '" + wire + "'");
    }

    /** Whether {@code wire} (from an exported record) names this kind. */
    public boolean is(String wire) {
      return this.wire.equals(wire);
    }
  }

  public Instant at() {
    return Instant.ofEpochMilli(atMillis);
  }
}
