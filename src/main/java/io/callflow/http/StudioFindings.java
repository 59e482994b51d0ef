package io.callflow.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.config.EditDistance;
import io.callflow.flow.Finding;
import io.callflow.flow.Flow;
import io.callflow.flow.JsonPointers;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The findings of a flow as the studio shows them: every parse problem and validation finding with the JSON pointer
 * of the key it concerns (refined from the state to the very key where the parser names only the state), the state
 * it belongs to, the line and column of bad JSON, and a "did you mean" hint for unknown keys and targets.
 */
final class StudioFindings {

  /** The flow when it parses (null otherwise) and its findings. */
  record Checked(Flow flow, JsonArray findings) {
    boolean valid() {
      return flow != null && findings.stream().noneMatch(f -> "error".equals(((JsonObject) f).getString("severity")));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROBLEM = Pattern.compile("^[^:]*:(/[^:]*|/): (.*)$", Pattern.DOTALL);
  private static final Pattern UNKNOWN_TARGET = Pattern.compile("(?:leads to unknown state|no state) '([^']*)'");
  private static final Pattern UNKNOWN_KEY = Pattern.compile("'([^']+)' is not defined in the schema");
  private static final Pattern AT_LINE = Pattern.compile("at line (\\d+) column (\\d+)");
  private static final JsonNode SCHEMA = schema();

  private StudioFindings() {
  }

  /** Parses and validates as hot reload would ({@code validator} knows the deployment). */
  static Checked check(byte[] json, FlowValidator validator) {
    FlowParser parser = new FlowParser();
    JsonNode tree = tree(json);
    JsonArray findings = new JsonArray();
    try {
      Flow flow = parser.parse("flow.json", json);
      for (Finding f : validator.check("flow.json", flow)) {
        findings.add(finding(f.severity().name().toLowerCase(Locale.ROOT), f.pointer(), f.message(), f.hint()));
      }
      return new Checked(flow, findings);
    } catch (FlowException e) {
      for (String problem : e.problems()) {
        findings.add(problem(problem, tree));
      }
      return new Checked(null, findings);
    }
  }

  /** One parser problem ("source:/pointer: message") refined against the tree. */
  private static JsonObject problem(String problem, JsonNode tree) {
    Matcher m = PROBLEM.matcher(problem);
    String pointer = m.matches() ? m.group(1) : "/";
    String message = m.matches() ? m.group(2) : problem;
    String hint = null;
    Matcher target = UNKNOWN_TARGET.matcher(message);
    Matcher key = UNKNOWN_KEY.matcher(message);
    if (target.find() && tree != null) {
      pointer = pointer.equals("/start") ? pointer : JsonPointers.keyHolding(tree.at(pointer), target.group(1), pointer);
      hint = nearest(target.group(1), stateIds(tree));
    } else if (key.find()) {
      String keyToken = "/" + JsonPointers.token(key.group(1));
      pointer = pointer.endsWith(keyToken) ? pointer : (pointer.equals("/") ? "" : pointer) + keyToken;
      hint = nearest(key.group(1), keysAllowedAt(tree, pointer));
    }
    JsonObject finding = finding("error", pointer, message, hint == null ? null : "did you mean '" + hint + "'?");
    Matcher at = AT_LINE.matcher(message);
    if (at.find()) {
      finding.put("line", Integer.parseInt(at.group(1))).put("column", Integer.parseInt(at.group(2)));
    }
    return finding;
  }

  private static JsonObject finding(String severity, String pointer, String message, String hint) {
    JsonObject finding = new JsonObject().put("severity", severity).put("pointer", pointer).put("message", message)
        .put("hint", hint);
    String[] parts = pointer.split("/");
    if (parts.length >= 3 && parts[1].equals("states")) {
      finding.put("state", unescape(parts[2]));
    }
    return finding;
  }

  /** The pointer of the first key under {@code node} (at {@code at}) whose text is {@code value}, else {@code at}. */
  private static Set<String> stateIds(JsonNode tree) {
    Set<String> ids = new TreeSet<>(List.of(Flow.FAILSAFE));
    tree.path("states").fieldNames().forEachRemaining(ids::add);
    return ids;
  }

  /** The keys the schema allows in the object at {@code pointer}'s parent: a state's by its type, else any. */
  private static Collection<String> keysAllowedAt(JsonNode tree, String pointer) {
    String[] parts = pointer.split("/");
    if (tree != null && parts.length == 4 && parts[1].equals("states")) {
      String type = tree.at("/states/" + parts[2] + "/type").asText("");
      JsonNode properties = SCHEMA.path("$defs").path(type).path("properties");
      if (properties.isObject()) {
        List<String> keys = new ArrayList<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
      }
    }
    Set<String> all = new TreeSet<>();
    SCHEMA.findValues("properties").forEach(p -> p.fieldNames().forEachRemaining(all::add));
    return all;
  }

  /** The candidate closest to {@code word} when it is close enough to be a slip, else null. */
  static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = EditDistance.between(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance > 0 && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
  }
  private static JsonNode tree(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  private static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }

  private static JsonNode schema() {
    try (InputStream in = StudioFindings.class.getResourceAsStream("/flow.schema.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
