package io.callflow.flow;

/**
 * Where a call stands: the current state and what callflow is waiting for there, with the retry counters of a
 * menu or collect.
 */
public record Position(String state, Phase phase, int noInput, int invalid) {

  public enum Phase {
    /** The IVR will ask with the next getIvrCommand; the state's command has not been sent yet. */
    PENDING,
    /** The state's command was sent; the next getIvrCommand carries its outcome. */
    PROMPTED,
    /** The IVR was told to hang up so that the callEvent for the remaining caller can forward it. */
    TRANSFERRING,
    /** A call action was answered; waiting for the callee to answer or fail. */
    RINGING,
    /** The forward's callee answered. */
    CONNECTED,
    /**
     * The IVR will ask with the next getIvrCommand, and the call goes to the state then: it is not entered yet (an
     * http result, an operator's move, an outbound call just answered).
     */
    SCHEDULED,
    /** An outbound call placed with placeivrcall; waiting for the callee to answer. */
    DIALING,
    /**
     * An http state's request runs, or a record state's stop came before startrecording was confirmed: the caller
     * holds until the outcome comes.
     */
    WAITING,
    /** A record state records the caller; the next getIvrCommand ends the message. */
    RECORDING,
    /** callflow hangs up (operator or maxDuration): the next chance to end the call is taken. */
    HANGING_UP,
    /** Over for the flow; only the mediaservice's closing callbacks may follow. */
    ENDED
  }

  public static Position pending(String state) {
    return new Position(state, Phase.PENDING, 0, 0);
  }

  public static Position scheduled(String state) {
    return new Position(state, Phase.SCHEDULED, 0, 0);
  }

  public static Position of(String state, Phase phase) {
    return new Position(state, phase, 0, 0);
  }

  /** Whether the caller is with the IVR, where an interrupt reaches the running command. */
  public boolean inIvr() {
    return phase == Phase.PENDING || phase == Phase.PROMPTED || phase == Phase.SCHEDULED || phase == Phase.WAITING
        || phase == Phase.RECORDING;
  }

  public Position ended() {
    return new Position(state, Phase.ENDED, noInput, invalid);
  }
}
