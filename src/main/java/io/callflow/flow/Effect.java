package io.callflow.flow;

/**
 * Something the shell carries out after the reply is sent: logging and counting, requests to the mediaservice or
 * to an external system, timers. Outcomes come back to the engine as events.
 */
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

  /** interruptivrcommand: the IVR drops its running command and asks for the next one at once. */
  record Interrupt() implements Effect {
  }

  /** startrecording on the call's answered connection into {@code file}. */
  record StartRecording(String file) implements Effect {
  }

  /** stoprecording on the call's answered connection; the result comes as /recordingReady. */
  record StopRecording(String file) implements Effect {
  }

  /** hangupparticipant for {@code participantId}, the person callflow talks to. */
  record Hangup(String participantId) implements Effect {
  }

  /** Run an http state's request; its outcome comes back as {@link Event.HttpResult}. */
  record HttpFetch(String state, String method, String url, java.util.Map<String, String> headers, String body,
                   int timeoutMillis) implements Effect {
  }

  /** The flow's maxDuration ends the call at {@code atMillis} (epoch milliseconds). */
  record Deadline(long atMillis) implements Effect {
  }
}
