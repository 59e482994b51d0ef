package io.callflow.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flow as a graph: a node per state and an edge per way out, each edge labelled by why it is taken (the key
 * pressed, the exit, the branch condition in words) and marked implicit when the flow does not name it (a menu
 * without a noInput exit goes to the failsafe). The Mermaid diagram and the studio both draw this.
 */
public final class FlowGraph {

  /** A state: its id, type and a line of what it does (what it says first, where it forwards to). */
  public record Node(String id, String type, String summary) {
  }

  /**
   * A way out of {@code from}. {@code key} is the JSON key of the state that names it ("options/1", "noInput",
   * "cases/0"), so that the studio can pin a finding on the edge; {@code implicit} when the flow names no exit
   * and the engine takes the failsafe.
   */
  public record Edge(String from, String to, String label, String key, boolean implicit) {
  }

  public record Graph(String start, List<Node> nodes, List<Edge> edges, String failsafeDestination) {
    /** Whether some state leads to the failsafe, named or implicitly. */
    public boolean usesFailsafe() {
      return edges.stream().anyMatch(e -> Flow.FAILSAFE.equals(e.to()));
    }
  }

  private FlowGraph() {
  }

  public static Graph of(Flow flow) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (Map.Entry<String, State> entry : flow.states().entrySet()) {
      String id = entry.getKey();
      State state = entry.getValue();
      nodes.add(new Node(id, FlowEngine.typeOf(state), summary(state)));
      Out out = new Out(id, edges);
      if (state instanceof State.Menu menu) {
        menu.options().forEach((key, target) -> out.add("press " + key, target, "options/" + key));
        out.retry("no input", menu.noInput(), "noInput");
        out.retry("invalid", menu.invalid(), "invalid");
      } else if (state instanceof State.Collect collect) {
        out.add(collect.variable(), collect.next(), "next");
        out.retry("no input", collect.noInput(), "noInput");
        out.retry("invalid", collect.invalid(), "invalid");
      } else if (state instanceof State.Forward forward) {
        out.add("busy", forward.busy(), "busy");
        out.add("no answer", forward.noAnswer(), "noAnswer");
        out.add("failed", forward.failed(), "failed");
        out.add("after", forward.after(), "after");
      } else if (state instanceof State.Hours hours) {
        out.add("open", hours.open(), "open");
        out.add("closed", hours.closed(), "closed");
        out.add("holiday", hours.holiday(), "holiday");
      } else if (state instanceof State.Branch branch) {
        for (int i = 0; i < branch.cases().size(); i++) {
          State.Case c = branch.cases().get(i);
          out.add(condition(c.when()), c.next(), "cases/" + i);
        }
        out.add("otherwise", branch.otherwise(), "otherwise");
      } else if (state instanceof State.Play play) {
        out.add(null, play.next(), "next");
      } else if (state instanceof State.Set set) {
        out.add(null, set.next(), "next");
      } else if (state instanceof State.Record record) {
        out.add("recorded", record.next(), "next");
        out.implicit("failed", record.failed(), record.failedOrFailsafe(), "failed");
      } else if (state instanceof State.Http http) {
        out.add("ok", http.ok(), "ok");
        out.implicit("error", http.error(), http.errorOrFailsafe(), "error");
      }
    }
    return new Graph(flow.start(), nodes, edges, flow.failsafe() == null ? null : flow.failsafe().destination());
  }

  /** A branch condition in words: "callingParty in +4670…, +4670…", "header.x-tier = gold". */
  static String condition(Condition when) {
    if (when.equals() != null) {
      return when.var() + " = " + when.equals();
    }
    if (when.in() != null) {
      return when.var() + " in " + String.join(", ", when.in());
    }
    if (when.startsWith() != null) {
      return when.var() + " starts with " + when.startsWith();
    }
    return when.var() + (Boolean.TRUE.equals(when.present()) ? " is set" : " is not set");
  }

  private static String summary(State state) {
    if (state instanceof State.Forward forward) {
      return "→ " + forward.destination();
    }
    if (state instanceof State.Http http) {
      return http.method() + " " + http.url();
    }
    List<Prompt> prompts = state instanceof State.Menu m ? m.prompt() : state instanceof State.Collect c ? c.prompt()
        : state instanceof State.Play p ? p.prompt() : state instanceof State.Hangup h ? h.prompt()
        : state instanceof State.Record r ? r.prompt() : List.of();
    if (state instanceof State.Collect collect && prompts.isEmpty()) {
      return "digits → " + collect.variable();
    }
    return prompts.isEmpty() ? "" : text(prompts.get(0));
  }

  private static String text(Prompt prompt) {
    return prompt.say() != null ? prompt.say() : prompt.file() != null ? "[file " + prompt.file() + "]"
        : "[audio " + prompt.url() + "]";
  }

  /** Adds the edges of one state. */
  private record Out(String from, List<Edge> edges) {
    void add(String label, String to, String key) {
      if (to != null) {
        edges.add(new Edge(from, to, label, key, false));
      }
    }

    void retry(String label, Retry retry, String key) {
      implicit(label, retry.exit(), retry.exitOrFailsafe(), key);
    }

    /** {@code named} is what the flow says (may be null), {@code taken} where the engine goes. */
    void implicit(String label, String named, String taken, String key) {
      if (taken != null) {
        edges.add(new Edge(from, taken, label, key, named == null));
      }
    }
  }
}
