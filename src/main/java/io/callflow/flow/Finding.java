package io.callflow.flow;

/** One thing wrong with a flow, where it is (a JSON pointer into the file), and how to fix it. */
public record Finding(Severity severity, String source, String pointer, String message, String hint) {

  public enum Severity { ERROR, WARNING }

  static Finding error(String source, String pointer, String message, String hint) {
    return new Finding(Severity.ERROR, source, pointer, message, hint);
  }

  static Finding warning(String source, String pointer, String message, String hint) {
    return new Finding(Severity.WARNING, source, pointer, message, hint);
  }

  @Override
  public String toString() {
    return source + ":" + pointer + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message
        + (hint == null ? "" : " (hint: " + hint + ")");
  }
}
