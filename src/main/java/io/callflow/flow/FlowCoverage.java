package io.callflow.flow;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which states, menu options and exits a set of simulated calls reaches. With no scripts it explores by itself:
 * every option, a silence and a wrong key at each collection it meets, each with every callee behaviour, up to
 * a bound. Office hours decide by the time given, so other times need runs of their own.
 */
public final class FlowCoverage {

  /** What was never reached, out of how much. */
  public record Report(int runs, int items, Set<String> missed) {
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(runs + " simulated calls reached " + (items - missed.size()) + " of " + items
          + " states, options and exits");
      missed.forEach(item -> lines.add("never reached: " + item));
      return lines;
    }
  }

  static final int MAX_RUNS = 2000;
  static final int MAX_DEPTH = 12;

  private final Flow flow;
  private final Caller caller;
  private final Instant at;

  public FlowCoverage(Flow flow, Caller caller, Instant at) {
    this.flow = flow;
    this.caller = caller;
    this.at = at;
  }

  /** Runs the given scripts (each a list of keys) with every callee behaviour. */
  public Report run(List<List<String>> scripts) {
    Set<String> reached = new LinkedHashSet<>();
    int runs = 0;
    for (List<String> script : scripts) {
      for (FlowSimulation.Callee callee : FlowSimulation.Callee.values()) {
        reached.addAll(reachedBy(simulate(script, callee)));
        runs++;
      }
    }
    return report(runs, reached);
  }

  /** Explores the flow breadth-first, branching at every collection. */
  public Report explore() {
    Set<String> reached = new LinkedHashSet<>();
    Set<List<String>> tried = new LinkedHashSet<>();
    Deque<List<String>> todo = new ArrayDeque<>(List.of(List.of()));
    int runs = 0;
    while (!todo.isEmpty() && runs < MAX_RUNS) {
      List<String> script = todo.poll();
      for (FlowSimulation.Callee callee : FlowSimulation.Callee.values()) {
        FlowSimulation call = simulate(script, callee);
        runs++;
        reached.addAll(reachedBy(call));
        List<String> collections = call.collections();
        if (script.size() < collections.size() && script.size() < MAX_DEPTH) {
          for (String key : alternatives(collections.get(script.size()))) {
            List<String> next = new ArrayList<>(script);
            next.add(key);
            if (tried.add(next)) {
              todo.add(next);
            }
          }
        }
      }
    }
    return report(runs, reached);
  }

  private FlowSimulation simulate(List<String> keys, FlowSimulation.Callee callee) {
    FlowSimulation call = new FlowSimulation(flow, caller, at, keys, Map.of(), callee);
    call.run();
    return call;
  }

  /** Every option, a silence and a key no option uses; for a collect, a valid entry, silence and a short one. */
  private List<String> alternatives(String stateId) {
    State state = flow.states().get(stateId);
    List<String> keys = new ArrayList<>(List.of("timeout"));
    if (state instanceof State.Menu menu) {
      menu.options().keySet().forEach(k -> keys.add(menu.maxDigits() > 1 && menu.terminationKey() != null ? k + "#" : k));
      "0123456789*#".chars().mapToObj(c -> String.valueOf((char) c)).filter(k -> !menu.options().containsKey(k))
          .findFirst().ifPresent(keys::add);
    } else if (state instanceof State.Collect collect) {
      keys.add("1".repeat(collect.minDigits()) + collect.terminator());
      keys.add(collect.minDigits() > 1 ? "1" + collect.terminator() : "1".repeat(collect.maxDigits() + 1));
    }
    return keys;
  }

  private Set<String> reachedBy(FlowSimulation call) {
    Set<String> reached = new LinkedHashSet<>();
    for (Activity activity : call.trail()) {
      String state = activity.state();
      switch (activity.kind()) {
        case "entered" -> reached.add("state " + state);
        case "selected" -> reached.add("option " + state + "/" + activity.detail());
        case "noInputExhausted" -> reached.add("exit " + state + "/noInput");
        case "invalidExhausted" -> reached.add("exit " + state + "/invalid");
        case "busy", "noAnswer", "failed" -> reached.add("exit " + state + "/" + activity.kind());
        case "calleeHangup" -> reached.add("exit " + state + "/after");
        case "httpOk" -> reached.add("exit " + state + "/ok");
        case "httpError" -> reached.add("exit " + state + "/error");
        default -> { }
      }
    }
    return reached;
  }

  private Report report(int runs, Set<String> reached) {
    Set<String> all = new TreeSet<>();
    flow.states().forEach((id, state) -> {
      all.add("state " + id);
      if (state instanceof State.Menu menu) {
        menu.options().keySet().forEach(k -> all.add("option " + id + "/" + k));
        all.add("exit " + id + "/noInput");
        all.add("exit " + id + "/invalid");
      } else if (state instanceof State.Collect) {
        all.add("exit " + id + "/noInput");
        all.add("exit " + id + "/invalid");
      } else if (state instanceof State.Forward forward) {
        if (forward.busy() != null) {
          all.add("exit " + id + "/busy");
        }
        if (forward.noAnswer() != null) {
          all.add("exit " + id + "/noAnswer");
        }
        if (forward.failed() != null) {
          all.add("exit " + id + "/failed");
        }
        if (forward.after() != null) {
          all.add("exit " + id + "/after");
        }
      } else if (state instanceof State.Http) {
        all.add("exit " + id + "/ok");
        all.add("exit " + id + "/error");
      }
    });
    Set<String> missed = new TreeSet<>(all);
    missed.removeAll(reached);
    return new Report(runs, all.size(), missed);
  }
}
