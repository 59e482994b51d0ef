package io.callflow.report;

/** What became of one delivery attempt of a record. */
sealed interface Result {

  /** The target has it. */
  record Delivered() implements Result {
  }

  /** The target refused it for good (e.g. 400): retrying cannot help. {@code payload} is what was sent. */
  record Rejected(String why, String payload) implements Result {
  }

  /** The target is down, failing or unreachable: try again later. */
  record Retry(String why) implements Result {
  }

  /**
   * By HTTP status: 2xx delivered (Expertflow answers 202); 400, 413 and 422 say the payload itself is wrong;
   * anything else (5xx, 429, and 401/403/404, which an operator can fix) is tried again until the record expires.
   */
  static Result ofStatus(int status, String body, String payload) {
    if (status >= 200 && status < 300) {
      return new Delivered();
    }
    String why = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
    return status == 400 || status == 413 || status == 422 ? new Rejected(why, payload) : new Retry(why);
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }
}
