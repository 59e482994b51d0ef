package io.callflow.flow;

import java.util.List;

/**
 * What a menu or collect does when the caller gives no input, or invalid input: play {@code prompt} and ask again,
 * until {@code tries} such answers have been counted, then go to {@code exit}.
 */
public record Retry(List<Prompt> prompt, Integer tries, String exit) {

  static final int DEFAULT_TRIES = 3;

  public Retry {
    prompt = prompt == null ? List.of() : List.copyOf(prompt);
    if (tries != null && tries < 1) {
      throw new IllegalArgumentException("tries must be at least 1");
    }
  }

  static Retry orDefault(Retry retry) {
    return retry == null ? new Retry(null, null, null) : retry;
  }

  int maxTries() {
    return tries == null ? DEFAULT_TRIES : tries;
  }

  /** The state to go to when the tries are used up; the flow's failsafe unless the operator named one. */
  String exitOrFailsafe() {
    return exit == null ? Flow.FAILSAFE : exit;
  }
}
