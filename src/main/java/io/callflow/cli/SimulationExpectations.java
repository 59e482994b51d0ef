package io.callflow.cli;

import io.callflow.flow.Activity;
import io.callflow.flow.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --expect} assertions of {@code callflow simulate}, for CI: each is checked against the simulated call
 * and reported with what actually happened.
 * <ul>
 *   <li>{@code end=REASON}: the call ended so, e.g. {@code end=hangup:closed} or {@code end=transferred}</li>
 *   <li>{@code state=ID}: the call entered state ID; {@code !state=ID}: it never did</li>
 *   <li>{@code var.NAME=VALUE}: the variable had this value at the end</li>
 *   <li>{@code hears=TEXT}: some prompt the caller heard contains TEXT</li>
 * </ul>
 */
final class SimulationExpectations {

  /** The kinds an expectation may start with, for the help text and the error message. */
  static final String FORMS = "end=REASON, state=ID, !state=ID, var.NAME=VALUE, hears=TEXT";

  /** One checked expectation. */
  record Outcome(String expect, boolean ok, String actual) {
  }

  private SimulationExpectations() {
  }

  /** Null when {@code expect} is well-formed, else why not. */
  static String problem(String expect) {
    int eq = expect.indexOf('=');
    if (eq <= 0) {
      return "--expect " + expect + ": expected one of " + FORMS;
    }
    String kind = expect.substring(0, eq);
    return kind.equals("end") || kind.equals("state") || kind.equals("!state") || kind.equals("hears")
        || kind.startsWith("var.") && kind.length() > 4 ? null : "--expect " + expect + ": expected one of " + FORMS;
  }

  static List<Outcome> check(List<String> expects, Session call, List<String> transcript) {
    List<String> entered = call.trail().stream().filter(a -> a.kind() == Activity.Kind.ENTERED).map(Activity::state).toList();
    List<String> heard = transcript.stream().filter(line -> line.startsWith("hears: "))
        .map(line -> line.substring("hears: ".length())).toList();
    List<Outcome> outcomes = new ArrayList<>();
    for (String expect : expects) {
      int eq = expect.indexOf('=');
      String kind = expect.substring(0, eq);
      String wanted = expect.substring(eq + 1);
      outcomes.add(switch (kind) {
        case "end" -> new Outcome(expect, wanted.equals(call.endReason()), "ended " + call.endReason());
        case "state" -> new Outcome(expect, entered.contains(wanted), "entered " + entered);
        case "!state" -> new Outcome(expect, !entered.contains(wanted), "entered " + entered);
        case "hears" -> new Outcome(expect, heard.stream().anyMatch(h -> h.contains(wanted)), "heard " + heard);
        default -> {
          String value = call.vars().get(kind.substring(4));
          yield new Outcome(expect, wanted.equals(value), kind + "=" + value);
        }
      });
    }
    return outcomes;
  }
}
