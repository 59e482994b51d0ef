package io.callflow.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed flow's graph beyond what the schema can say: states no call reaches, states no call leaves,
 * loops no caller input bounds, menus and collects without exits, options that shadow each other, variables read
 * before they are set, destinations and numbers that cannot be dialled, overlapping hours, a missing failsafe.
 */
public final class FlowValidator {

  private static final Pattern SIP_URI = Pattern.compile("sips?:[^\\s@:;]+@[A-Za-z0-9.-]+(:\\d{1,5})?(;[^\\s]*)?");
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
  private static final Set<String> CALLER_DATA = Set.of("callId", "callingParty", "calledParty", "callerName");

  /** Where numbers in destinations are dialled (outbound.sipDomain); null when none is configured. */
  private final String sipDomain;

  /** A validator for a deployment without outbound.sipDomain: destinations must be SIP URIs. */
  public FlowValidator() {
    this(null);
  }

  /** A validator for a deployment that dials numbers at {@code sipDomain} (null: none configured). */
  public FlowValidator(String sipDomain) {
    this.sipDomain = sipDomain == null || sipDomain.isBlank() ? null : sipDomain;
  }

  public List<Finding> check(String source, Flow flow) {
    List<Finding> findings = new ArrayList<>();
    Set<String> reachable = reachable(flow);
    flow.states().keySet().stream().filter(id -> !reachable.contains(id)).forEach(id -> findings.add(
        Finding.warning(source, ptr(id), "no call can reach state '" + id + "'", "lead to it from another state, or delete it")));
    stuck(flow, reachable).forEach(id -> findings.add(Finding.error(source, ptr(id),
        "a call in state '" + id + "' can never end: no path leads to a hangup, a forward or the failsafe",
        "give one of the states it loops through an exit")));
    unboundedLoops(flow).forEach(id -> findings.add(Finding.error(source, ptr(id),
        "state '" + id + "' is on a loop that never waits for the caller; calls on it end in the failsafe",
        "put a menu or collect on the loop, or break it")));
    flow.states().forEach((id, state) -> checkState(source, flow, id, state, findings));
    unsetVariables(source, flow, findings);
    if (flow.failsafe().destination() != null) {
      destination(source, "/failsafe/destination", flow.failsafe().destination(), sipDomain, findings);
    }
    // A failsafe with a message and no destination is the author's choice (an apology, then hang up): no warning.
    if (flow.failsafe().destination() == null && flow.failsafe().message() == null) {
      findings.add(Finding.warning(source, "/failsafe", "no failsafe destination: when the flow fails the caller "
          + "hears an apology and is hung up", "set failsafe.destination to an operator or a queue"));
    }
    for (int i = 0; i < flow.numbers().size(); i++) {
      if (!E164.matcher(flow.numbers().get(i)).matches()) {
        findings.add(Finding.warning(source, "/numbers/" + i, "'" + flow.numbers().get(i) + "' is not an E.164 number",
            "write numbers as + country code and digits, e.g. +46812345678"));
      }
    }
    return findings;
  }

  /** Numbers claimed by more than one of {@code flows} (by source), as errors on each later claim. */
  public static List<Finding> sharedNumbers(Map<String, Flow> flowsBySource) {
    List<Finding> findings = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    flowsBySource.forEach((source, flow) -> {
      for (int i = 0; i < flow.numbers().size(); i++) {
        String number = flow.numbers().get(i).replaceFirst("^\\+", "");
        String owner = owners.putIfAbsent(number, source + " (flow " + flow.id() + ")");
        if (owner != null) {
          findings.add(Finding.error(source, "/numbers/" + i, "number " + flow.numbers().get(i)
              + " is also claimed by " + owner, "each number routes to one flow; remove it from one of them"));
        }
      }
    });
    return findings;
  }

  private void checkState(String source, Flow flow, String id, State state, List<Finding> findings) {
    state.accept(new Checks(source, flow, id, sipDomain, findings));
  }

  /** What can be wrong with one state of each type, beyond its exits and variables. */
  private static final class Checks implements State.Visitor<Void> {
    private final String source;
    private final Flow flow;
    private final String id;
    private final String sipDomain;
    private final List<Finding> findings;

    Checks(String source, Flow flow, String id, String sipDomain, List<Finding> findings) {
      this.source = source;
      this.flow = flow;
      this.id = id;
      this.sipDomain = sipDomain;
      this.findings = findings;
    }

    @Override
    public Void menu(State.Menu menu) {
      exits(source, id, menu.noInput(), menu.invalid(), findings);
      for (String key : menu.options().keySet()) {
        for (String other : menu.options().keySet()) {
          if (!key.equals(other) && other.startsWith(key)) {
            findings.add(Finding.warning(source, ptr(id) + "/options/" + key, "option '" + key + "' is a prefix of '"
                + other + "': callers who press " + key + " wait for the between-digit timeout before it counts",
                "use keys of one length, or press # to end (multi-key menus accept #)"));
          }
        }
      }
      return null;
    }

    @Override
    public Void collect(State.Collect collect) {
      exits(source, id, collect.noInput(), collect.invalid(), findings);
      impossibleBranchValues(source, flow, id, collect, findings);
      return null;
    }

    @Override
    public Void forward(State.Forward forward) {
      destination(source, ptr(id) + "/destination", forward.destination(), sipDomain, findings);
      return null;
    }

    @Override
    public Void hours(State.Hours hours) {
      overlaps(source, id, hours, findings);
      return null;
    }

    @Override
    public Void http(State.Http http) {
      if (http.url().startsWith("http://")) {
        findings.add(Finding.warning(source, ptr(id) + "/url", "the request and its answer travel unencrypted",
            "use https://"));
      }
      if (http.error() == null) {
        findings.add(Finding.warning(source, ptr(id) + "/error", "no exit for a failed request: callers go to the "
            + "failsafe when the system is slow or down", "set error"));
      }
      return null;
    }

    @Override
    public Void play(State.Play play) {
      return null;
    }

    @Override
    public Void branch(State.Branch branch) {
      return null;
    }

    @Override
    public Void set(State.Set set) {
      return null;
    }

    @Override
    public Void hangup(State.Hangup hangup) {
      return null;
    }

    @Override
    public Void record(State.Record record) {
      return null;
    }

    /** A voice speaks its own language: changing one without the other makes a Swedish text in an English voice. */
    @Override
    public Void language(State.Language language) {
      if ((language.language() == null) != (language.voice() == null)) {
        findings.add(Finding.warning(source, ptr(id), "this state changes the "
            + (language.voice() == null ? "language but not the voice" : "voice but not the language")
            + ": the caller may hear one language read by a voice made for another", "set both language and voice"));
      }
      return null;
    }
  }

  /**
   * A destination becomes the vendor's destAddr, a SIP URI: a number is dialled at outbound.sipDomain, so without
   * one it cannot be called at all.
   */
  private static void destination(String source, String pointer, String destination, String sipDomain,
                                  List<Finding> findings) {
    if (destination.contains("${")) {
      return;
    }
    boolean uri = SIP_URI.matcher(destination).matches();
    boolean number = destination.matches("\\+?[0-9]{2,20}");
    if (!uri && !number) {
      findings.add(Finding.error(source, pointer, "'" + destination
          + "' is neither a SIP URI (sip:user@host) nor an E.164 number", "e.g. sip:+46812345678@pbx.example.com"));
    } else if (number && sipDomain == null) {
      findings.add(Finding.error(source, pointer, "'" + destination + "' is a number, and outbound.sipDomain is not "
          + "set: the mediaservice dials SIP URIs only", "write sip:" + destination
          + "@your-trunk, or set outbound.sipDomain"));
    }
  }

  private static void exits(String source, String id, Retry noInput, Retry invalid, List<Finding> findings) {
    if (noInput.exit() == null) {
      findings.add(Finding.warning(source, ptr(id) + "/noInput", "no exit for callers who press nothing: after "
          + noInput.maxTries() + " tries they go to the failsafe", "set noInput.exit"));
    }
    if (invalid.exit() == null) {
      findings.add(Finding.warning(source, ptr(id) + "/invalid", "no exit for invalid input: after "
          + invalid.maxTries() + " tries callers go to the failsafe", "set invalid.exit"));
    }
  }

  private static void overlaps(String source, String id, State.Hours hours, List<Finding> findings) {
    hours.weekly().forEach((day, ranges) -> {
      for (int i = 0; i < ranges.size(); i++) {
        for (int j = i + 1; j < ranges.size(); j++) {
          int[] a = minutes(ranges.get(i));
          int[] b = minutes(ranges.get(j));
          if (a[0] < b[1] && b[0] < a[1]) {
            findings.add(Finding.warning(source, ptr(id) + "/weekly/" + day + "/" + j, "range " + ranges.get(j)
                + " overlaps " + ranges.get(i), "merge them into one range"));
          }
        }
      }
    });
  }

  private static int[] minutes(String range) {
    String[] parts = range.split("-");
    return new int[] {minute(parts[0]), "24:00".equals(parts[1]) ? 1440 : minute(parts[1])};
  }

  private static int minute(String time) {
    String[] hm = time.trim().split(":");
    return Integer.parseInt(hm[0]) * 60 + Integer.parseInt(hm[1]);
  }

  private static Set<String> reachable(Flow flow) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(flow.start()));
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (seen.add(id) && flow.states().containsKey(id)) {
        todo.addAll(flow.states().get(id).targets());
      }
    }
    return seen;
  }

  /** Reachable states from which no path leads to an end: a hangup, a forward (it can end the call) or failsafe. */
  private static Set<String> stuck(Flow flow, Set<String> reachable) {
    Set<String> canEnd = new HashSet<>(List.of(Flow.FAILSAFE));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, State> entry : flow.states().entrySet()) {
        State state = entry.getValue();
        boolean ends = state.mayEnd() || state.targets().stream().anyMatch(canEnd::contains);
        if (ends && canEnd.add(entry.getKey())) {
          grew = true;
        }
      }
    }
    Set<String> stuck = new java.util.TreeSet<>(reachable);
    stuck.removeAll(canEnd);
    stuck.retainAll(flow.states().keySet());
    return stuck;
  }

  /** States on a cycle made only of states that decide alone (set, branch, hours). */
  private static Set<String> unboundedLoops(Flow flow) {
    Set<String> onLoop = new java.util.TreeSet<>();
    for (String id : flow.states().keySet()) {
      if (!flow.states().get(id).decidesAlone()) {
        continue;
      }
      Deque<String> todo = new ArrayDeque<>(flow.states().get(id).targets());
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        String next = todo.pop();
        if (next.equals(id)) {
          onLoop.add(id);
          break;
        }
        State state = flow.states().get(next);
        if (state != null && state.decidesAlone() && seen.add(next)) {
          todo.addAll(state.targets());
        }
      }
    }
    return onLoop;
  }

  /** Variables that some path reads before any state on it sets them (a must-be-set analysis over the graph). */
  private static void unsetVariables(String source, Flow flow, List<Finding> findings) {
    Map<String, Set<String>> setBefore = new LinkedHashMap<>();
    Set<String> all = new HashSet<>();
    flow.states().values().forEach(s -> all.addAll(defines(s)));
    flow.states().keySet().forEach(id -> setBefore.put(id, new HashSet<>(all)));
    setBefore.put(flow.start(), new HashSet<>(flow.inputs()));
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, State> entry : flow.states().entrySet()) {
        Set<String> kept = setBefore.get(entry.getKey());
        for (String target : entry.getValue().targets()) {
          Set<String> out = new HashSet<>(kept);
          entry.getValue().assigns().stream().filter(a -> a.setOn(target)).forEach(a -> out.add(a.name()));
          Set<String> in = setBefore.get(target);
          if (in != null && in.retainAll(out)) {
            changed = true;
          }
        }
      }
    }
    Set<String> reachable = reachable(flow);
    flow.states().forEach((id, state) -> {
      if (!reachable.contains(id)) {
        return;
      }
      for (String name : state.reads()) {
        if (!CALLER_DATA.contains(name) && !name.startsWith("header.") && !name.startsWith(FlowEngine.ENV_REFERENCE)
            && !setBefore.get(id).contains(name)) {
          findings.add(Finding.warning(source, ptr(id), "variable '" + name + "' may be read before it is set"
              + (all.contains(name) ? " on some path" : ": no state sets it"), "set it on every path that leads here"));
        }
      }
    });
  }

  private static Set<String> defines(State state) {
    Set<String> names = new HashSet<>();
    state.assigns().forEach(a -> names.add(a.name()));
    return names;
  }

  /**
   * A branch right after a collect that tests the collected variable for a value the collect can never produce
   * (too short, too long, not keypad keys, or holding its terminator): that case can never be taken, so callers who
   * enter the right thing still go to {@code otherwise} (an imported PIN of the wrong length locks everyone out).
   */
  private static void impossibleBranchValues(String source, Flow flow, String id, State.Collect collect,
                                             List<Finding> findings) {
    State next = flow.states().get(collect.next());
    List<Condition> conditions = next == null ? List.of() : next.conditions();
    for (int i = 0; i < conditions.size(); i++) {
      Condition when = conditions.get(i);
      if (!collect.variable().equals(when.var())) {
        continue;
      }
      String pointer = ptr(collect.next()) + "/cases/" + i + "/when/";
      if (when.equals() != null) {
        impossibleValue(source, pointer + "equals", id, collect, when.equals(), findings);
      }
      for (int j = 0; when.in() != null && j < when.in().size(); j++) {
        impossibleValue(source, pointer + "in/" + j, id, collect, when.in().get(j), findings);
      }
    }
  }

  private static void impossibleValue(String source, String pointer, String collectId, State.Collect collect,
                                      String value, List<Finding> findings) {
    String why = value.length() < collect.minDigits() || value.length() > collect.maxDigits()
        ? "it has " + value.length() + " keys and collect '" + collectId + "' takes " + collect.minDigits()
            + (collect.minDigits().equals(collect.maxDigits()) ? "" : "-" + collect.maxDigits())
        : !value.matches("[0-9*#]*") ? "it is not keypad keys (0-9, * and #)"
        : value.contains(collect.terminator()) ? "it holds '" + collect.terminator() + "', which ends the input of collect '"
            + collectId + "'"
        : null;
    if (why != null) {
      findings.add(Finding.error(source, pointer, "'" + (collect.secret() ? "…" : value) + "' can never be "
          + collect.variable() + ": " + why + "; this case is never taken",
          "size minDigits/maxDigits of '" + collectId + "' to the values the branch expects"));
    }
  }

  private static String ptr(String id) {
    return "/states/" + id;
  }
}
