package io.callflow.flow;

import java.util.List;

/**
 * A test on one variable or caller datum ({@code callingParty}, {@code calledParty}, {@code callerName},
 * {@code header.X-Name}, or a flow variable). Exactly one test is set; {@code present} alone tests existence.
 */
public record Condition(String var, String equals, List<String> in, String startsWith, Boolean present) {

  public Condition {
    if (var == null || var.isBlank()) {
      throw new IllegalArgumentException("a condition names a var");
    }
    int tests = (equals != null ? 1 : 0) + (in != null ? 1 : 0) + (startsWith != null ? 1 : 0) + (present != null ? 1 : 0);
    if (tests != 1) {
      throw new IllegalArgumentException("a condition has exactly one of equals, in, startsWith or present");
    }
    in = in == null ? null : List.copyOf(in);
  }

  boolean test(Template.Values values) {
    String value = values.lookup(var);
    if (present != null) {
      return present == (value != null && !value.isEmpty());
    }
    if (value == null) {
      return false;
    }
    // A value collected encrypted (md5:salt:hash) is compared by hashing the condition's own value.
    if (equals != null) {
      return DtmfHash.matches(value, equals);
    }
    if (in != null) {
      return in.stream().anyMatch(candidate -> DtmfHash.matches(value, candidate));
    }
    return value.startsWith(startsWith);
  }
}
