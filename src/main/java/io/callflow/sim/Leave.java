package io.callflow.sim;

/**
 * A party leaves a simulated call while something else was going on (a prompt, a ringing or talk): it stops
 * whatever the call was waiting for, and the call reports the departure to callflow.
 */
final class Leave extends RuntimeException {

  /** Who leaves: the scripted person (caller, or callee of a placed call), a forward's callee, or the IVR. */
  enum Who { PERSON, CALLEE, IVR }

  final Who who;
  /** The outcome the call has when this departure ends it. */
  final String outcome;

  Leave(Who who, String why, String outcome) {
    super(why, null, false, false);
    this.who = who;
    this.outcome = outcome;
  }
}
