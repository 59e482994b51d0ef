package io.callflow.call;

/** A request callflow refuses as it stands: answered 4xx with the message, and nothing changes. */
public final class BadCallback extends RuntimeException {

  private final int status;

  public BadCallback(String message) {
    this(400, message);
  }

  public BadCallback(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
