package io.callflow.flow;

/** What happened to a call, as the engine sees it; the shell turns each callback into one of these. */
public sealed interface Event {

  /** The case of this event, for whoever must treat each kind differently. */
  <R> R accept(Visitor<R> visitor);

  /** Whether {@code event} is the mediaservice's /sessionCompleted (a repeat of it must change nothing). */
  static boolean completes(Event event) {
    return event instanceof Completed;
  }

  /** One method per kind of event, so that a new kind makes the compiler name every place that must handle it. */
  interface Visitor<R> {
    R callStarted(CallStarted started);

    R ivrRequest(IvrRequest request);

    R calleeAnswered(CalleeAnswered answered);

    R calleeFailed(CalleeFailed failed);

    R calledPartyLeft(CalledPartyLeft left);

    R callerLeft(CallerLeft left);

    R connectionSplit(ConnectionSplit split);

    R alarm(Alarm alarm);

    R completed(Completed completed);

    R recordingReady(RecordingReady ready);

    R recordingStarted(RecordingStarted started);

    R httpResult(HttpResult result);

    R apiFailed(ApiFailed failed);

    R hangupRequested(HangupRequested hangup);

    R gotoRequested(GotoRequested move);
  }

  /** A new inbound call (/newCall), or an outbound call whose callee answered the IVR. */
  record CallStarted() implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.callStarted(this);
    }
  }

  /** The IVR asks what to do next (/getIvrCommand); {@code digits} are null or empty when none were entered. */
  record IvrRequest(String digits) implements Event {
    /** The digits may be a secret PIN, and a log line does not know the flow: they never show. */
    @Override
    public String toString() {
      return "IvrRequest[digits=" + (digits == null || digits.isEmpty() ? digits : Secrets.MASK) + "]";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.ivrRequest(this);
    }
  }

  /** The forward's callee answered (/callAnswered). */
  record CalleeAnswered() implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.calleeAnswered(this);
    }
  }

  /** The forward's callee could not be reached (/callEvent calledPartyFailure) with this SIP status. */
  record CalleeFailed(int sipCode) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.calleeFailed(this);
    }
  }

  /** The called side left (/callEvent calledPartyDrop): the IVR after hangup, or a connected callee. */
  record CalledPartyLeft() implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.calledPartyLeft(this);
    }
  }

  /** The caller hung up or failed (/callEvent callingPartyDrop or callingPartyFailure). */
  record CallerLeft() implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.callerLeft(this);
    }
  }

  /**
   * Someone called /splitconnection: the mediaservice asks, per participant, what to do with it (/callEvent
   * callerConnectionSplit when {@code caller}, else calleeConnectionSplit).
   */
  record ConnectionSplit(boolean caller) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.connectionSplit(this);
    }
  }

  /** The mediaservice raised an alarm about this call. */
  record Alarm(String type, String error) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.alarm(this);
    }
  }

  /** The mediaservice ended the session (/sessionCompleted). */
  record Completed(String reason) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.completed(this);
    }
  }

  /** A recording's result (/recordingReady): {@code outcome} is recordingSuccessful or recordingFailed. */
  record RecordingReady(String file, String outcome, Long bytes, String reason) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.recordingReady(this);
    }
  }

  /**
   * The mediaservice accepted startrecording for {@code file}: from now on the record state may tell the caller the
   * message was kept.
   */
  record RecordingStarted(String file) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.recordingStarted(this);
    }
  }

  /**
   * An http state's request ended: {@code status} and {@code body} of the answer, or {@code error} when there was
   * none (timeout, refused, too large).
   */
  record HttpResult(String state, int status, String body, String error) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.httpResult(this);
    }
  }

  /** A request to the mediaservice REST API failed; {@code operation} is its name. */
  record ApiFailed(String operation, String detail) implements Event {

    /**
     * The detail when no one knows whether the request went out: the instance that sent it stopped before its
     * answer. A once-only request (placeivrcall, startrecording) is then not sent again, and the flow ends visibly.
     */
    public static final String UNKNOWN = "outcome unknown: the instance that sent it stopped";

    public boolean unknown() {
      return UNKNOWN.equals(detail);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.apiFailed(this);
    }
  }

  /** callflow ends the call: an operator asked, or the flow's maxDuration passed ({@code reason}). */
  record HangupRequested(EndReason reason) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hangupRequested(this);
    }
  }

  /** An operator moves a call in the IVR to {@code state}. */
  record GotoRequested(String state) implements Event {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.gotoRequested(this);
    }
  }
}
