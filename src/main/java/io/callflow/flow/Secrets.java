package io.callflow.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one policy for what of a call must never leave callflow in clear, used alike by the admin API, logs, metrics
 * and activity records: variables a {@code collect} marks secret, and every variable whose value is made from one
 * (a {@code set} such as "x-${pin}", an http answer to a request that carried one). A secret shows as a fixed
 * {@link #MASK} that reveals nothing of its length. Without the flow (an unknown version) every variable is secret.
 */
public final class Secrets {

  public static final String MASK = "***";
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
  public static Secrets of(Flow flow, Map<String, String> vars) {
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

  /** The variables of {@code flow} that are secret: collected as such, or made from one, however indirectly. */
  public static Set<String> names(Flow flow) {
    List<State.Assignment> assignments = new ArrayList<>();
    flow.states().values().forEach(state -> assignments.addAll(state.assigns()));
    Set<String> secret = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (State.Assignment assignment : assignments) {
        if (!secret.contains(assignment.name())
            && (assignment.secret() || assignment.from().stream().anyMatch(secret::contains))) {
          grew = secret.add(assignment.name());
        }
      }
    }
    return Set.copyOf(secret);
  }

  public boolean isSecret(String variable) {
    return all || names.contains(variable);
  }

  /** What may be shown of {@code variable}'s {@code value}: the mask if it is secret, else the value scrubbed. */
  public String show(String variable, String value) {
    return isSecret(variable) ? MASK : scrub(value);
  }

  /** Every variable as {@link #show} shows it, in the same order. */
  public Map<String, String> shown(Map<String, String> vars) {
    Map<String, String> out = new LinkedHashMap<>();
    vars.forEach((name, value) -> out.put(name, show(name, value)));
    return out;
  }

  /** {@code text} with every secret value of this call replaced by the mask. */
  public String scrub(String text) {
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
