package io.callflow.mediaservice;

/**
 * A mediaservice REST request that did not succeed: {@code status} is the HTTP status, {@link #NO_ANSWER} when
 * there was none (timeout, refused connection) or {@link #NOT_SENT} when the circuit breaker is open; the message
 * says what happened.
 */
public final class MediaserviceException extends RuntimeException {

  public static final int NO_ANSWER = 0;
  public static final int NOT_SENT = -1;

  private final String operation;
  private final int status;

  public MediaserviceException(String operation, int status, String message) {
    super(operation + ": " + message, null, false, false);
    this.operation = operation;
    this.status = status;
  }

  public String operation() {
    return operation;
  }

  public int status() {
    return status;
  }

  /** Worth repeating: no answer, or the service's own failure; a 4xx or {success:false} would fail again. */
  boolean worthRetrying() {
    return status == NO_ANSWER || status >= 500;
  }

  /** A short word for metrics: the status, "noAnswer" or "circuitOpen". */
  String outcome() {
    return status == NO_ANSWER ? "noAnswer" : status == NOT_SENT ? MediaserviceClient.CIRCUIT_OPEN : String.valueOf(status);
  }
}
