package io.callflow.flow;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A record constructor's refusal that says which keys are wrong, each as a JSON pointer relative to the record
 * ("/timezone", "/weekly/mon/0"), so {@code validate} can point at the key and report every problem at once.
 */
final class InvalidFields extends IllegalArgumentException {

  /** One wrong key: {@code pointer} is relative to the record being built, "" for the record itself. */
  record Problem(String pointer, String message) {
  }

  private final List<Problem> problems;

  InvalidFields(List<Problem> problems) {
    super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  /** One wrong key, {@code key} a property name of the record (or a relative pointer starting with '/'). */
  static InvalidFields at(String key, String message) {
    return new InvalidFields(List.of(new Problem(key.startsWith("/") ? key : "/" + key, message)));
  }

  List<Problem> problems() {
    return problems;
  }
}
