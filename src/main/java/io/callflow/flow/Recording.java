package io.callflow.flow;

/**
 * One recording of a call: started in {@code state} at {@code atMillis}; {@code outcome} is null until the
 * mediaservice reports it (/recordingReady), then "recordingSuccessful" or "recordingFailed" with {@code reason}.
 */
public record Recording(String file, String state, long atMillis, String outcome, Long bytes, String reason) {

  public static Recording started(String file, String state, long atMillis) {
    return new Recording(file, state, atMillis, null, null, null);
  }

  public Recording ready(String result, Long size, String why) {
    return new Recording(file, state, atMillis, result, size, why);
  }

  public boolean succeeded() {
    return "recordingSuccessful".equals(outcome);
  }
}
