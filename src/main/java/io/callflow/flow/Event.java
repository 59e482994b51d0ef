package io.callflow.flow;

/** What happened to a call, as the engine sees it; the shell turns each callback into one of these. */
public sealed interface Event {

  /** A new inbound call (/newCall), or an outbound call whose callee answered the IVR. */
  record CallStarted() implements Event {
  }

  /** The IVR asks what to do next (/getIvrCommand); {@code digits} are null or empty when none were entered. */
  record IvrRequest(String digits) implements Event {
  }

  /** The forward's callee answered (/callAnswered). */
  record CalleeAnswered() implements Event {
  }

  /** The forward's callee could not be reached (/callEvent calledPartyFailure) with this SIP status. */
  record CalleeFailed(int sipCode) implements Event {
  }

  /** The called side left (/callEvent calledPartyDrop): the IVR after hangup, or a connected callee. */
  record CalledPartyLeft() implements Event {
  }

  /** The caller hung up or failed (/callEvent callingPartyDrop or callingPartyFailure). */
  record CallerLeft() implements Event {
  }

  /** The mediaservice raised an alarm about this call. */
  record Alarm(String type, String error) implements Event {
  }

  /** The mediaservice ended the session (/sessionCompleted). */
  record Completed(String reason) implements Event {
  }

  /** A recording's result (/recordingReady): {@code outcome} is recordingSuccessful or recordingFailed. */
  record RecordingReady(String file, String outcome, Long bytes, String reason) implements Event {
  }

  /**
   * An http state's request ended: {@code status} and {@code body} of the answer, or {@code error} when there was
   * none (timeout, refused, too large).
   */
  record HttpResult(String state, int status, String body, String error) implements Event {
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
  }

  /** callflow ends the call: an operator asked, or the flow's maxDuration passed ({@code reason}). */
  record HangupRequested(String reason) implements Event {
  }

  /** An operator moves a call in the IVR to {@code state}. */
  record GotoRequested(String state) implements Event {
  }
}
