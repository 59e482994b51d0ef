package io.callflow.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.flow.Condition;
import io.callflow.flow.Flow;
import io.callflow.flow.State;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A flow's graph as the studio draws it: a node per state (id, type, a line of what it does) and an edge per way
 * out (the state's own exits), labelled by why it is taken, with branch conditions in words, the JSON key that
 * names it (so that a finding can be pinned on the edge), and marked implicit when the flow names no exit and the
 * engine takes the failsafe.
 */
final class StudioGraph {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StudioGraph() {
  }

  /** The graph of {@code flow}, whose file is {@code source} (read to tell named exits from implicit ones). */
  static JsonObject of(Flow flow, byte[] source) {
    JsonNode tree = tree(source);
    JsonArray nodes = new JsonArray();
    JsonArray edges = new JsonArray();
    boolean failsafe = false;
    for (Map.Entry<String, State> entry : flow.states().entrySet()) {
      String id = entry.getKey();
      State state = entry.getValue();
      Map<String, String> labels = state.accept(new Labels());
      Map<String, String> keys = state.accept(new Keys());
      nodes.add(new JsonObject().put("id", id).put("type", state.type()).put("summary", state.accept(new Summary())));
      for (State.Exit exit : state.exits()) {
        if (exit.target() == null) {
          continue;
        }
        String key = keys.getOrDefault(exit.name(), exit.name());
        boolean implicit = Flow.FAILSAFE.equals(exit.target()) && !names(tree.at("/states/" + escape(id) + "/" + key));
        failsafe |= Flow.FAILSAFE.equals(exit.target());
        edges.add(new JsonObject().put("from", id).put("to", exit.target())
            .put("label", labels.getOrDefault(exit.name(), exit.label())).put("key", key).put("implicit", implicit));
      }
    }
    return new JsonObject().put("start", flow.start()).put("nodes", nodes).put("edges", edges)
        .put("failsafe", new JsonObject().put("used", failsafe)
            .put("destination", flow.failsafe() == null ? null : flow.failsafe().destination()));
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

  /** Whether the file names a failsafe there itself (an exit key, or a retry's "exit"). */
  private static boolean names(JsonNode node) {
    if (node.isTextual()) {
      return Flow.FAILSAFE.equals(node.asText());
    }
    return node.isObject() && Flow.FAILSAFE.equals(node.path("exit").asText(null));
  }

  /** Labels that say more than the exit's own: a branch's cases by their conditions. */
  private static final class Labels extends Each<Map<String, String>> {
    @Override
    Map<String, String> otherwise(State state) {
      return Map.of();
    }

    @Override
    public Map<String, String> branch(State.Branch branch) {
      Map<String, String> labels = new HashMap<>();
      for (int i = 0; i < branch.cases().size(); i++) {
        labels.put("cases/" + i, condition(branch.cases().get(i).when()));
      }
      return labels;
    }
  }

  /** Where an exit is named in the file, when not under its own name: a menu's options are under "options". */
  private static final class Keys extends Each<Map<String, String>> {
    @Override
    Map<String, String> otherwise(State state) {
      return Map.of();
    }

    @Override
    public Map<String, String> menu(State.Menu menu) {
      Map<String, String> keys = new HashMap<>();
      menu.options().keySet().forEach(key -> keys.put(key, "options/" + key));
      return keys;
    }
  }

  /** A line of what the state does: what it says first, where it forwards to, what it calls. */
  private static final class Summary extends Each<String> {
    @Override
    String otherwise(State state) {
      return state.prompts().isEmpty() ? "" : state.prompts().get(0).text();
    }

    @Override
    public String forward(State.Forward forward) {
      return "→ " + forward.destination();
    }

    @Override
    public String http(State.Http http) {
      return http.method() + " " + http.url();
    }

    @Override
    public String collect(State.Collect collect) {
      return collect.prompt().isEmpty() ? "digits → " + collect.variable() : collect.prompt().get(0).text();
    }
  }

  /** A visitor that answers {@link #otherwise} for every type it does not override. */
  private abstract static class Each<R> implements State.Visitor<R> {
    abstract R otherwise(State state);

    public R menu(State.Menu s) {
      return otherwise(s);
    }

    public R collect(State.Collect s) {
      return otherwise(s);
    }

    public R play(State.Play s) {
      return otherwise(s);
    }

    public R forward(State.Forward s) {
      return otherwise(s);
    }

    public R hours(State.Hours s) {
      return otherwise(s);
    }

    public R branch(State.Branch s) {
      return otherwise(s);
    }

    public R set(State.Set s) {
      return otherwise(s);
    }

    public R hangup(State.Hangup s) {
      return otherwise(s);
    }

    public R record(State.Record s) {
      return otherwise(s);
    }

    public R http(State.Http s) {
      return otherwise(s);
    }

    public R language(State.Language s) {
      return otherwise(s);
    }
  }

  private static JsonNode tree(byte[] source) {
    try {
      return JSON.readTree(source);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
