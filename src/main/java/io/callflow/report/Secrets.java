package io.callflow.report;

import io.callflow.flow.Flow;
import io.callflow.flow.State;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which variables of a call must never leave callflow: those a {@code collect} state marks secret, and those a
 * {@code set} state builds from them (a PIN copied into another variable is still a PIN). Without the flow every
 * variable counts as secret.
 */
final class Secrets {

  static final String MASK = "***";
  /** Shorter values are not searched for in free text: "1" would mask every 1 in a destination or a date. */
  private static final int MIN_SCRUB_LENGTH = 4;

  private final Set<String> names;
  private final boolean all;
  private final List<String> values;

  private Secrets(Set<String> names, boolean all, List<String> values) {
    this.names = names;
    this.all = all;
    this.values = values;
  }

  /** The secret variables of {@code flow} (null: all of them), with this call's values of them from {@code vars}. */
  static Secrets of(Flow flow, Map<String, String> vars) {
    Set<String> names = flow == null ? Set.copyOf(vars.keySet()) : names(flow);
    List<String> values = new ArrayList<>();
    vars.forEach((name, value) -> {
      if (names.contains(name) && value != null && value.length() >= MIN_SCRUB_LENGTH) {
        values.add(value);
      }
    });
    // Longest first, so a value that contains another is masked whole.
    values.sort((a, b) -> b.length() - a.length());
    return new Secrets(names, flow == null, values);
  }

  private static Set<String> names(Flow flow) {
    Set<String> secret = new HashSet<>();
    flow.states().values().forEach(state -> {
      if (state instanceof State.Collect collect && collect.secret()) {
        secret.add(collect.variable());
      }
    });
    boolean grew = !secret.isEmpty();
    while (grew) {
      grew = false;
      for (State state : flow.states().values()) {
        if (state instanceof State.Set set) {
          for (Map.Entry<String, String> assignment : set.vars().entrySet()) {
            if (!secret.contains(assignment.getKey()) && mentionsAny(assignment.getValue(), secret)) {
              grew = secret.add(assignment.getKey());
            }
          }
        }
      }
    }
    return Set.copyOf(secret);
  }

  private static boolean mentionsAny(String template, Set<String> variables) {
    return template != null && variables.stream().anyMatch(v -> template.contains("${" + v + "}"));
  }

  boolean isSecret(String variable) {
    return all || names.contains(variable);
  }

  /** {@code text} with every secret value of this call replaced by the mask. */
  String scrub(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String clean = text;
    for (String value : values) {
      clean = clean.replace(value, MASK);
    }
    return clean;
  }
}
