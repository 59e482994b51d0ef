package io.callflow.call;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} in an http state's header values: the secret (a CRM token) stays in the environment, the flow
 * file holds only the reference. The engine passes the reference through untouched, so the value is never in a
 * session, an activity record, a log line or an admin API answer; it is put in here, as the request leaves.
 */
final class EnvironmentReferences {

  /** {@code ${env:NAME}}; NAME as environment variables are named. */
  static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final Function<String, String> environment;

  EnvironmentReferences(Function<String, String> environment) {
    this.environment = environment;
  }

  /** From the process environment. */
  static EnvironmentReferences system() {
    return new EnvironmentReferences(System::getenv);
  }

  /**
   * {@code headers} with every reference replaced by its variable's value.
   *
   * @throws IllegalStateException naming a variable that is not set (the request is not sent without it)
   */
  Map<String, String> resolve(Map<String, String> headers) {
    Map<String, String> resolved = new java.util.LinkedHashMap<>();
    headers.forEach((name, value) -> resolved.put(name, resolve(value)));
    return resolved;
  }

  private String resolve(String value) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String variable = environment.apply(m.group(1));
      if (variable == null) {
        throw new IllegalStateException("environment variable " + m.group(1) + " is not set (referenced as ${env:"
            + m.group(1) + "} in a header)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(variable.replace("\r", "").replace("\n", "")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
