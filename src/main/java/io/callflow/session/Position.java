package io.callflow.session;

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
    /** Over for the flow; only the mediaservice's closing callbacks may follow. */
    ENDED
  }

  public static Position pending(String state) {
    return new Position(state, Phase.PENDING, 0, 0);
  }

  public static Position of(String state, Phase phase) {
    return new Position(state, phase, 0, 0);
  }

  public Position ended() {
    return new Position(state, Phase.ENDED, noInput, invalid);
  }
}
