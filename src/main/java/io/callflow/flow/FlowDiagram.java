package io.callflow.flow;


/** The state graph of a flow as Mermaid text: a node per state, an edge per way out, labelled by why. */
public final class FlowDiagram {

  private FlowDiagram() {
  }

  public static String mermaid(Flow flow) {
    FlowGraph.Graph graph = FlowGraph.of(flow);
    StringBuilder out = new StringBuilder("flowchart TD\n");
    out.append("  start((start)) --> ").append(node(graph.start())).append('\n');
    for (FlowGraph.Node state : graph.nodes()) {
      out.append("  ").append(node(state.id())).append(shape(state)).append('\n');
      graph.edges().stream().filter(e -> e.from().equals(state.id()))
          .forEach(e -> edge(out, e.from(), e.label(), e.to()));
    }
    if (graph.usesFailsafe()) {
      String destination = graph.failsafeDestination();
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

  private static String shape(FlowGraph.Node state) {
    String label = "\"" + escape(state.id()) + "<br/><i>" + state.type() + "</i>\"";
    if (state.type().equals("hangup")) {
      return "([" + label + "])";
    }
    if (state.type().equals("hours") || state.type().equals("branch")) {
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
