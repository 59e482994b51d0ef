package io.callflow.flow;

import java.util.List;

/** A flow file that cannot be used; each problem reads "source:/json/pointer: message". */
public final class FlowException extends Exception {

  private final List<String> problems;

  public FlowException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
