package io.callflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** JSON pointers (RFC 6901) into flow files, so a finding names the key it is about. */
public final class JsonPointers {

  private JsonPointers() {
  }

  /** {@code key} as one pointer token: '~' and '/' escaped. */
  public static String token(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /**
   * The pointer of the first string equal to {@code value} inside {@code node} (found at {@code at}), e.g. the
   * option key that leads to an unknown state; {@code at} itself when no string inside equals it.
   */
  public static String keyHolding(JsonNode node, String value, String at) {
    if (node == null || node.isMissingNode()) {
      return at;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (contains(field.getValue(), value)) {
          return keyHolding(field.getValue(), value, at + "/" + token(field.getKey()));
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (contains(node.get(i), value)) {
          return keyHolding(node.get(i), value, at + "/" + i);
        }
      }
    }
    return at;
  }

  private static boolean contains(JsonNode node, String value) {
    if (node.isTextual()) {
      return node.asText().equals(value);
    }
    for (JsonNode child : node) {
      if (contains(child, value)) {
        return true;
      }
    }
    return false;
  }
}
