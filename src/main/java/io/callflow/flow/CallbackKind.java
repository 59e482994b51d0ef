package io.callflow.flow;

/**
 * Which answer a callback needs: the one definition of it. The route table attaches a kind to each callback route,
 * the driver renders and remembers answers by it, the failure handler picks the failsafe answer by it, and the engine
 * renders a step as an IVR command, a decision or an acknowledgement by it.
 */
public enum CallbackKind {
  /** /newCall: a call-control decision (connect to the IVR, call a number, or drop). */
  NEW_CALL,
  /** /getIvrCommand: an IVR command, echoing the request's sessionId and replyId. */
  IVR,
  /** /callEvent: a call-control decision for the party that remains. */
  CALL_EVENT,
  /** The notifications (and anything callflow raises itself: timers, operators): only an acknowledgement. */
  NOTIFY;

  /** The answer {@code event} needs: the kind of the callback it comes from (timers and operators notify). */
  public static CallbackKind of(Event event) {
    return event.accept(OF);
  }

  private static final Event.Visitor<CallbackKind> OF = new Event.Visitor<>() {
    @Override
    public CallbackKind callStarted(Event.CallStarted started) {
      return NEW_CALL;
    }

    @Override
    public CallbackKind ivrRequest(Event.IvrRequest request) {
      return IVR;
    }

    @Override
    public CallbackKind calleeAnswered(Event.CalleeAnswered answered) {
      return NOTIFY;
    }

    @Override
    public CallbackKind calleeFailed(Event.CalleeFailed failed) {
      return CALL_EVENT;
    }

    @Override
    public CallbackKind calledPartyLeft(Event.CalledPartyLeft left) {
      return CALL_EVENT;
    }

    @Override
    public CallbackKind callerLeft(Event.CallerLeft left) {
      return CALL_EVENT;
    }

    @Override
    public CallbackKind connectionSplit(Event.ConnectionSplit split) {
      return CALL_EVENT;
    }

    @Override
    public CallbackKind alarm(Event.Alarm alarm) {
      return NOTIFY;
    }

    @Override
    public CallbackKind completed(Event.Completed completed) {
      return NOTIFY;
    }

    @Override
    public CallbackKind recordingReady(Event.RecordingReady ready) {
      return NOTIFY;
    }

    @Override
    public CallbackKind recordingStarted(Event.RecordingStarted started) {
      return NOTIFY;
    }

    @Override
    public CallbackKind httpResult(Event.HttpResult result) {
      return NOTIFY;
    }

    @Override
    public CallbackKind apiFailed(Event.ApiFailed failed) {
      return NOTIFY;
    }

    @Override
    public CallbackKind hangupRequested(Event.HangupRequested hangup) {
      return NOTIFY;
    }

    @Override
    public CallbackKind gotoRequested(Event.GotoRequested move) {
      return NOTIFY;
    }
  };
}

