package io.callflow.flow;

import java.util.List;

/** The outcome of one engine step: the session to store, the reply to send, the effects to carry out. */
public record Step(Session next, Reply reply, List<Effect> effects) {

  public Step {
    effects = List.copyOf(effects);
  }
}
