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
      state.exits().forEach(exit -> edge(out, id, exit.label(), exit.target()));
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

  /** A state that ends the call is round, one that chooses among ways by itself a rhombus, the rest boxes. */
  private static String shape(String id, State state) {
    String label = "\"" + escape(id) + "<br/><i>" + state.type() + "</i>\"";
    if (state.exits().isEmpty()) {
      return "([" + label + "])";
    }
    if (state.decidesAlone() && state.exits().size() > 1) {
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
