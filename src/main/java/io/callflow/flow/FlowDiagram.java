package io.callflow.flow;

import java.util.Map;

/** The state graph of a flow as Mermaid text: a node per state, an edge per way out, labelled by why. */
public final class FlowDiagram {

  private FlowDiagram() {
  }

  public static String mermaid(Flow flow) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    out.append("  start((start)) --> ").append(node(flow.start())).append('\n');
    for (Map.Entry<String, State> entry : flow.states().entrySet()) {
      String id = entry.getKey();
      State state = entry.getValue();
      out.append("  ").append(node(id)).append(shape(id, state)).append('\n');
      if (state instanceof State.Menu menu) {
        menu.options().forEach((key, target) -> edge(out, id, "press " + key, target));
        edge(out, id, "no input", menu.noInput().exitOrFailsafe());
        edge(out, id, "invalid", menu.invalid().exitOrFailsafe());
      } else if (state instanceof State.Collect collect) {
        edge(out, id, collect.variable(), collect.next());
        edge(out, id, "no input", collect.noInput().exitOrFailsafe());
        edge(out, id, "invalid", collect.invalid().exitOrFailsafe());
      } else if (state instanceof State.Forward forward) {
        edge(out, id, "busy", forward.busy());
        edge(out, id, "no answer", forward.noAnswer());
        edge(out, id, "failed", forward.failed());
        edge(out, id, "after", forward.after());
      } else if (state instanceof State.Hours hours) {
        edge(out, id, "open", hours.open());
        edge(out, id, "closed", hours.closed());
        edge(out, id, "holiday", hours.holiday());
      } else if (state instanceof State.Branch branch) {
        branch.cases().forEach(c -> edge(out, id, c.when().var(), c.next()));
        edge(out, id, "otherwise", branch.otherwise());
      } else if (state instanceof State.Play play) {
        edge(out, id, null, play.next());
      } else if (state instanceof State.Set set) {
        edge(out, id, null, set.next());
      } else if (state instanceof State.Record record) {
        edge(out, id, "recorded", record.next());
        edge(out, id, "failed", record.failedOrFailsafe());
      } else if (state instanceof State.Http http) {
        edge(out, id, "ok", http.ok());
        edge(out, id, "error", http.errorOrFailsafe());
      }
    }
    if (flow.states().values().stream().anyMatch(s -> s.targets().contains(Flow.FAILSAFE))) {
      String destination = flow.failsafe().destination();
      out.append("  ").append(node(Flow.FAILSAFE)).append("{{\"failsafe")
          .append(destination == null ? "" : "<br/>" + escape(destination)).append("\"}}\n");
    }
    return out.toString();
  }

  private static void edge(StringBuilder out, String from, String label, String to) {
    if (to != null) {
      out.append("  ").append(node(from)).append(label == null ? " --> " : " -- \"" + escape(label) + "\" --> ")
          .append(node(to)).append('\n');
    }
  }

  private static String shape(String id, State state) {
    String label = "\"" + escape(id) + "<br/><i>" + state.type() + "</i>\"";
    if (state instanceof State.Hangup) {
      return "([" + label + "])";
    }
    if (state instanceof State.Hours || state instanceof State.Branch) {
      return "{" + label + "}";
    }
    return "[" + label + "]";
  }

  /** Mermaid node ids allow letters, digits and underscores. */
  private static String node(String id) {
    return "s_" + id.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;");
  }
}
