package io.callflow.sim;

/**
 * A breach of the mediaservice protocol by the application (what the vendor raises an alarm for); it is written to
 * the transcript where it happens and ends the call.
 */
final class ProtocolError extends RuntimeException {

  ProtocolError(String message) {
    // The message is the whole story; a stack trace per failed call would only cost time under load.
    super(message, null, false, false);
  }
}
