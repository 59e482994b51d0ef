package io.callflow.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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

  /** Parses {@code json} read from {@code source} (a file name, for messages) into a flow versioned by content hash. */
  public Flow parse(String source, byte[] json) throws FlowException {
    if (json.length > MAX_BYTES) {
      throw problem(source, "/", "file is larger than " + MAX_BYTES + " bytes");
    }
    JsonNode tree = readTree(source, json);
    List<String> problems = new ArrayList<>(FlowSchema.problems(source, tree));
    if (!problems.isEmpty()) {
      throw new FlowException(problems);
    }
    Flow flow = bind(source, tree);
    problems.addAll(references(source, flow));
    if (!problems.isEmpty()) {
      throw new FlowException(problems);
    }
    return flow.withVersion(hash(json));
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

  /** Binds to the records; their constructors check what the schema cannot (times, zones, option keys). */
  private static Flow bind(String source, JsonNode tree) throws FlowException {
    try {
      return STRICT.treeToValue(tree, Flow.class);
    } catch (JsonMappingException e) {
      StringBuilder pointer = new StringBuilder();
      for (JsonMappingException.Reference ref : e.getPath()) {
        pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
      }
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
      throw problem(source, pointer.length() == 0 ? "/" : pointer.toString(), message);
    } catch (JsonProcessingException e) {
      throw problem(source, "/", e.getOriginalMessage());
    }
  }

  /** Every state a flow names must exist (or be the reserved failsafe). */
  private static List<String> references(String source, Flow flow) {
    List<String> problems = new ArrayList<>();
    if (!exists(flow, flow.start())) {
      problems.add(source + ":/start: no state '" + flow.start() + "'");
    }
    for (Map.Entry<String, State> entry : flow.states().entrySet()) {
      for (String target : entry.getValue().targets()) {
        if (!exists(flow, target)) {
          problems.add(source + ":/states/" + entry.getKey() + ": leads to unknown state '" + target + "'");
        }
      }
    }
    return problems;
  }

  private static boolean exists(Flow flow, String id) {
    return Flow.FAILSAFE.equals(id) || flow.states().containsKey(id);
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
