package io.callflow.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one flow file strictly: size and depth limits, the JSON Schema, binding with unknown keys as errors,
 * then references between states. Reports every problem found, not just the first.
 */
public final class FlowParser {

  static final int MAX_BYTES = 1024 * 1024;
  static final int MAX_DEPTH = 64;

  private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** {@link #STRICT} but ignoring unknown keys: binds what can be read of a flow whose typos are already reported. */
  private static final ObjectMapper LENIENT = STRICT.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Parses {@code json} read from {@code source} (a file name, for messages) into a flow versioned by content hash. */
  public Flow parse(String source, byte[] json) throws FlowException {
    Checked checked = check(source, json);
    if (!checked.problems().isEmpty()) {
      throw new FlowException(checked.problems());
    }
    return checked.flow().withVersion(hash(json));
  }

  /**
   * Every problem of one file, each "source:/json/pointer: message", and the flow when every part of it binds.
   * A file with schema problems may still bind (then {@code validate} runs the graph checks too); a state that
   * does not bind leaves the flow null, but the other states are still bound and their references checked.
   */
  public record Checked(List<String> problems, Flow flow) {
  }

  /** Like {@link #parse} but collects instead of throwing, so one run shows everything wrong with the file. */
  public Checked check(String source, byte[] json) {
    if (json.length > MAX_BYTES) {
      return new Checked(List.of(source + ":/: file is larger than " + MAX_BYTES + " bytes"), null);
    }
    JsonNode tree;
    try {
      tree = readTree(source, json);
    } catch (FlowException e) {
      return new Checked(e.problems(), null);
    }
    List<InvalidFields.Problem> schema = FlowSchema.problems(tree);
    List<InvalidFields.Problem> binding = new ArrayList<>();
    Map<String, State> states = new LinkedHashMap<>();
    JsonNode stateNodes = tree.get("states");
    boolean allBound = stateNodes == null || stateNodes.isObject();
    if (stateNodes != null && stateNodes.isObject()) {
      // Each state on its own, so a broken state hides neither the others' problems nor the flow's own keys.
      for (Map.Entry<String, JsonNode> entry : iterable(stateNodes.fields())) {
        State state = bind(entry.getValue(), State.class, "/states/" + JsonPointers.token(entry.getKey()), binding);
        if (state == null) {
          allBound = false;
        } else {
          states.put(entry.getKey(), state);
        }
      }
    }
    ObjectNode withoutStates = tree.deepCopy();
    withoutStates.remove("states");
    Flow flow = bind(withoutStates, Flow.class, "", binding);
    if (flow != null) {
      try {
        flow = flow.withStates(states);
      } catch (IllegalArgumentException e) {
        binding.add(new InvalidFields.Problem("/states", e.getMessage()));
        flow = null;
      }
    }
    List<String> problems = new ArrayList<>();
    schema.forEach(p -> problems.add(source + ":" + p.pointer() + ": " + p.message()));
    binding.stream().filter(p -> !saidBySchema(p, schema))
        .forEach(p -> problems.add(source + ":" + p.pointer() + ": " + p.message()));
    if (flow != null) {
      java.util.Set<String> ids = new java.util.HashSet<>();
      if (stateNodes != null && stateNodes.isObject()) {
        stateNodes.fieldNames().forEachRemaining(ids::add);
      }
      problems.addAll(references(source, flow, ids, tree));
    }
    return new Checked(problems, allBound ? flow : null);
  }

  /**
   * {@code node} bound to {@code type}, or null when it cannot be; every reason goes to {@code problems}. A key the
   * records do not know is a problem but not a reason to skip the rest: it is bound again without that key, so
   * the graph checks still run over a flow with a typo in it.
   */
  private static <T> T bind(JsonNode node, Class<T> type, String prefix, List<InvalidFields.Problem> problems) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      problems.addAll(bindingProblems(prefix, e));
      if (!(e instanceof UnrecognizedPropertyException)) {
        return null;
      }
    }
    try {
      return LENIENT.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      problems.addAll(bindingProblems(prefix, e));
      return null;
    }
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> items) {
    return () -> items;
  }

  /** The schema already said it: a binding problem at the same key, or at a state or object holding that key. */
  private static boolean saidBySchema(InvalidFields.Problem binding, List<InvalidFields.Problem> schema) {
    String at = binding.pointer();
    return schema.stream().map(InvalidFields.Problem::pointer)
        .anyMatch(s -> at.equals("/") || s.equals(at) || s.startsWith(at + "/"));
  }

  private static JsonNode readTree(String source, byte[] json) throws FlowException {
    try {
      JsonNode tree = STRICT.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw problem(source, "/", "a flow is a JSON object");
      }
      return tree;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + " column " + e.getLocation().getColumnNr();
      throw problem(source, "/", "not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw problem(source, "/", "unreadable: " + e.getMessage());
    }
  }

  /**
   * Why binding failed, at the key: the records' constructors check what the schema cannot (times, zones, option
   * keys) and name the keys they refuse; {@code prefix} is where the bound node sits in the file.
   */
  private static List<InvalidFields.Problem> bindingProblems(String prefix, JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return List.of(new InvalidFields.Problem(prefix.isEmpty() ? "/" : prefix, e.getOriginalMessage()));
    }
    StringBuilder pointer = new StringBuilder(prefix);
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      pointer.append('/').append(ref.getFieldName() != null ? JsonPointers.token(ref.getFieldName())
          : String.valueOf(ref.getIndex()));
    }
    String at = pointer.toString();
    if (mapping.getCause() instanceof InvalidFields fields) {
      return fields.problems().stream()
          .map(p -> new InvalidFields.Problem(at + p.pointer(), p.message())).toList();
    }
    String message = mapping.getCause() instanceof IllegalArgumentException cause ? cause.getMessage()
        : mapping.getOriginalMessage();
    return List.of(new InvalidFields.Problem(at.isEmpty() ? "/" : at, message));
  }

  /** Every state a flow names must exist in the file (or be the reserved failsafe). */
  private static List<String> references(String source, Flow flow, java.util.Set<String> ids, JsonNode tree) {
    List<String> problems = new ArrayList<>();
    if (flow.start() != null && !exists(ids, flow.start())) {
      problems.add(source + ":/start: no state '" + flow.start() + "'");
    }
    for (Map.Entry<String, State> entry : flow.states().entrySet()) {
      for (String target : entry.getValue().targets()) {
        if (!exists(ids, target)) {
          String state = "/states/" + JsonPointers.token(entry.getKey());
          problems.add(source + ":" + JsonPointers.keyHolding(tree.at(state), target, state)
              + ": leads to unknown state '" + target + "'");
        }
      }
    }
    return problems;
  }

  private static boolean exists(java.util.Set<String> ids, String id) {
    return Flow.FAILSAFE.equals(id) || ids.contains(id);
  }

  private static FlowException problem(String source, String pointer, String message) {
    return new FlowException(List.of(source + ":" + pointer + ": " + message));
  }

  /** The first 12 hex digits of the content's SHA-256: a version id that changes with every edit. */
  static String hash(byte[] json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

}
