package io.callflow.flow;

/**
 * How a call ended: the one vocabulary of end reasons, and the one place their written form is made and read. A
 * session's end reason is a kind, optionally with a detail after a colon: "callerHangup:main" (the state the caller
 * hung up in), "forward:busy" (the forward's outcome), "transferred". Metrics, records, the admin API and reports
 * all read it through {@link #kindOf} and {@link #detailOf}.
 */
public enum EndReason {
  /** The caller hung up (detail: the state). */
  CALLER_HANGUP("callerHangup"),
  /** The IVR hung up on its own (detail: the state). */
  IVR_HANGUP("ivrHangup"),
  /** A hangup state ended the call (detail: the state). */
  HANGUP("hangup"),
  /** The caller was connected to a callee; the call ended after that. */
  TRANSFERRED("transferred"),
  /** /sessionCompleted came while the caller was being transferred out of the IVR (detail: the forward). */
  TRANSFER_LOST("transferLost"),
  /** A forward without the exit for its outcome (detail: busy, noAnswer, failed). */
  FORWARD("forward"),
  /** The flow failed and the failsafe ended the call. */
  FAILSAFE("failsafe"),
  /** The mediaservice ended the session. */
  COMPLETED("completed"),
  /** The call was dropped where no decision was due. */
  DROPPED("dropped"),
  /** placeivrcall failed. */
  PLACE_FAILED("placeFailed"),
  /** The instance that sent placeivrcall stopped before its answer: whether the call was placed is unknown. */
  PLACE_UNKNOWN("placeUnknown"),
  /** An outbound callee was busy. */
  BUSY("busy"),
  /** An outbound callee did not answer. */
  NO_ANSWER("noAnswer"),
  /** An outbound call could not be set up. */
  FAILED("failed"),
  /** The flow's maxDuration passed (detail: the state). */
  MAX_DURATION("maxDuration"),
  /** An operator hung up through the admin API (detail: the state). */
  OPERATOR_HANGUP("operatorHangup"),
  /** The session outlived its time without /sessionCompleted and was reaped. */
  EXPIRED("expired");

  private final String wire;

  EndReason(String wire) {
    this.wire = wire;
  }

  /** Its written form, as sessions, records, metrics and the admin API carry it. */
  public String wire() {
    return wire;
  }

  /** Its written form with {@code detail} (a state, an outcome) after a colon. */
  public String at(String detail) {
    return wire + ":" + detail;
  }

  /** Whether {@code kind} (the part before the colon of a written reason) is this one. */
  public boolean is(String kind) {
    return wire.equals(kind);
  }

  /** The reason of this written form. */
  public static EndReason of(String wire) {
    for (EndReason reason : values()) {
      if (reason.wire.equals(wire)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("no end reason '" + wire + "'");
  }

  /** The kind of a written reason: its part before the colon (null stays null). */
  public static String kindOf(String reason) {
    int colon = reason == null ? -1 : reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }

  /** The detail of a written reason: its part after the colon, or null. */
  public static String detailOf(String reason) {
    int colon = reason == null ? -1 : reason.indexOf(':');
    return colon < 0 ? null : reason.substring(colon + 1);
  }
}
