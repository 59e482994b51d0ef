package io.callflow.flow;

/**
 * Which answer a callback needs: the one definition of it. The route table attaches a kind to each callback route,
 * the driver renders and remembers answers by it, and the failure handler picks the failsafe answer by it.
 */
public enum CallbackKind {
  /** /newCall: a call-control decision (connect to the IVR, call a number, or drop). */
  NEW_CALL,
  /** /getIvrCommand: an IVR command, echoing the request's sessionId and replyId. */
  IVR,
  /** /callEvent: a call-control decision for the party that remains. */
  CALL_EVENT,
  /** The notifications (and anything callflow raises itself: timers, operators): only an acknowledgement. */
  NOTIFY
}
