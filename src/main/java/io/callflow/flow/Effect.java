package io.callflow.flow;

/**
 * Something the shell carries out after the reply is sent: logging and counting, requests to the mediaservice or
 * to an external system, timers. Outcomes come back to the engine as events.
 */
public sealed interface Effect {

  /** The case of this effect, for whoever must treat each kind differently. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of effect, so that a new kind makes the compiler name every place that must handle it. */
  interface Visitor<R> {
    R stateEntered(StateEntered entered);

    R failsafeTaken(FailsafeTaken failsafe);

    R callEnded(CallEnded ended);

    R interrupt(Interrupt interrupt);

    R startRecording(StartRecording start);

    R stopRecording(StopRecording stop);

    R hangup(Hangup hangup);

    R httpFetch(HttpFetch fetch);

    R deadline(Deadline deadline);
  }

  /**
   * What an instance taking over a dead instance's unfinished effect may do with it: send it again (a repeat is
   * harmless), send it only if it was never sent, or not send it and tell the flow ({@link #notRepeated}).
   */
  enum Takeover { REPEAT, AT_MOST_ONCE, TELL_FLOW }

  /** How this effect may be taken over; most are harmless to repeat. */
  default Takeover takeover() {
    return Takeover.REPEAT;
  }

  /** The event that tells the flow this effect was not repeated ({@link Takeover#TELL_FLOW} only). */
  default Event notRepeated() {
    throw new UnsupportedOperationException(this + " is taken over by repeating it");
  }

  /** Whether {@code effects} say the call entered a state of its flow (so it started there). */
  static boolean entersState(java.util.List<Effect> effects) {
    return effects.stream().anyMatch(e -> e instanceof StateEntered);
  }

  /** Whether {@code effects} say the call is over (its record is due). */
  static boolean endsCall(java.util.List<Effect> effects) {
    return effects.stream().anyMatch(e -> e instanceof CallEnded);
  }

  /** The call entered a state. */
  record StateEntered(String state, String type) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stateEntered(this);
    }
  }

  /** The flow failed and the failsafe took over; {@code cause} says why. */
  record FailsafeTaken(String cause) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.failsafeTaken(this);
    }
  }

  /** The call is over; {@code reason} says how it ended. */
  record CallEnded(String reason) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.callEnded(this);
    }
  }

  /** interruptivrcommand: the IVR drops its running command and asks for the next one at once. */
  record Interrupt() implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.interrupt(this);
    }
  }

  /** startrecording on the call's answered connection into {@code file}. */
  record StartRecording(String file) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.startRecording(this);
    }

    /** Two recordings of one message would both be announced as saved: at most once. */
    @Override
    public Takeover takeover() {
      return Takeover.AT_MOST_ONCE;
    }
  }

  /** stoprecording on the call's answered connection; the result comes as /recordingReady. */
  record StopRecording(String file) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stopRecording(this);
    }
  }

  /** hangupparticipant for {@code participantId}, the person callflow talks to. */
  record Hangup(String participantId) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hangup(this);
    }
  }

  /** Run an http state's request; its outcome comes back as {@link Event.HttpResult}. */
  record HttpFetch(String state, String method, String url, java.util.Map<String, String> headers, String body,
                   int timeoutMillis) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.httpFetch(this);
    }

    /** A GET may be sent again; any other method may have changed something, so the flow takes its error exit. */
    @Override
    public Takeover takeover() {
      return "GET".equalsIgnoreCase(method) ? Takeover.REPEAT : Takeover.TELL_FLOW;
    }

    @Override
    public Event notRepeated() {
      return new Event.HttpResult(state, 0, null,
          "not repeated: the instance that sent this " + method + " stopped before its answer");
    }
  }

  /** The flow's maxDuration ends the call at {@code atMillis} (epoch milliseconds). */
  record Deadline(long atMillis) implements Effect {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deadline(this);
    }
  }
}
