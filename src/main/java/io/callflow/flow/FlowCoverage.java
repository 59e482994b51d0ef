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

  /** A silence, and the keys the state names to take each of its ways out. */
  private List<String> alternatives(String stateId) {
    List<String> keys = new ArrayList<>(List.of("timeout"));
    keys.addAll(flow.states().get(stateId).inputs());
    return keys;
  }

  private Set<String> reachedBy(FlowSimulation call) {
    Set<String> reached = new LinkedHashSet<>();
    for (Activity activity : call.trail()) {
      String id = activity.state();
      State state = flow.states().get(id);
      if (activity.kind() == Activity.Kind.ENTERED) {
        reached.add("state " + id);
      } else if (state != null) {
        state.exits().stream().filter(exit -> shows(activity, exit)).forEach(exit -> reached.add(item(id, exit)));
      }
    }
    return reached;
  }

  /** Whether the trail entry says the call took the exit; an option's entry also names its key. */
  private static boolean shows(Activity activity, State.Exit exit) {
    return activity.kind() == exit.taken()
        && (exit.taken() != Activity.Kind.SELECTED || exit.name().equals(activity.detail()));
  }

  private static String item(String id, State.Exit exit) {
    return (exit.taken() == Activity.Kind.SELECTED ? "option " : "exit ") + id + "/" + exit.name();
  }

  private Report report(int runs, Set<String> reached) {
    Set<String> all = new TreeSet<>();
    flow.states().forEach((id, state) -> {
      all.add("state " + id);
      state.exits().stream().filter(exit -> exit.taken() != null && exit.target() != null)
          .forEach(exit -> all.add(item(id, exit)));
    });
    Set<String> missed = new TreeSet<>(all);
    missed.removeAll(reached);
    return new Report(runs, all.size(), missed);
  }
}
