package io.callflow.flow;

/** Something the shell carries out after the reply is sent: for now, what it logs and counts. */
public sealed interface Effect {

  /** The call entered a state. */
  record StateEntered(String state, String type) implements Effect {
  }

  /** The flow failed and the failsafe took over; {@code cause} says why. */
  record FailsafeTaken(String cause) implements Effect {
  }

  /** The call is over; {@code reason} says how it ended. */
  record CallEnded(String reason) implements Effect {
  }
}
