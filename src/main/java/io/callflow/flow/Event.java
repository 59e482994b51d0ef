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
}
