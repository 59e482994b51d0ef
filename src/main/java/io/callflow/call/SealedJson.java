package io.callflow.call;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cases of a sealed interface of records (Effect, Event) as JSON: {@code {"type": <record name>, "data": {...}}},
 * so that work kept for later (in Redis, in a local journal) can be read back by any instance.
 */
final class SealedJson<T> {

  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, Class<?>> cases;

  SealedJson(Class<T> sealed) {
    this.cases = Arrays.stream(sealed.getPermittedSubclasses())
        .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
  }

  static String type(Object value) {
    return value.getClass().getSimpleName();
  }

  static JsonNode data(Object value) {
    return JSON.valueToTree(value);
  }

  ObjectNode write(Object value) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type(value));
    node.set("data", data(value));
    return node;
  }

  /** The case named {@code type} read from {@code data}; null when no case has that name. */
  @SuppressWarnings("unchecked")
  T read(String type, JsonNode data) throws IOException {
    Class<?> found = cases.get(type);
    return found == null ? null : (T) JSON.treeToValue(data, found);
  }
}
