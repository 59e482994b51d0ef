package io.callflow.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON config file, then lets environment variables override any leaf: {@code session.ttlSeconds} is
 * {@code CALLFLOW_SESSION_TTL_SECONDS}. Unknown keys and wrong types are errors naming the key.
 */
public final class ConfigLoader {

  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {
  }

  public static AppConfig load(Path file, Map<String, String> env) {
    JsonNode tree;
    try {
      tree = STRICT.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new ConfigException(file.toString(), "expected a JSON object");
    }
    override(root, "CALLFLOW", env);
    return bind(root).validate();
  }

  static AppConfig bind(JsonNode tree) {
    checkKeys(tree, AppConfig.class, "");
    try {
      return STRICT.treeToValue(tree, AppConfig.class);
    } catch (JsonMappingException e) {
      String key = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
          .filter(n -> n != null).reduce((a, b) -> a + "." + b).orElse("(root)");
      throw new ConfigException(key, e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("(root)", e.getMessage());
    }
  }

  /** Every key must be a record component and every component present, so a typo is named, not defaulted. */
  private static void checkKeys(JsonNode node, Class<?> type, String path) {
    if (!type.isRecord()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(path.isEmpty() ? "(root)" : path, "expected an object");
    }
    List<String> names = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    node.fieldNames().forEachRemaining(name -> {
      if (!names.contains(name)) {
        throw new ConfigException(path + name, "unknown key; expected one of " + names);
      }
    });
    for (RecordComponent component : type.getRecordComponents()) {
      JsonNode child = node.get(component.getName());
      if (child == null) {
        throw new ConfigException(path + component.getName(), "missing");
      }
      if (!child.isNull()) {
        checkKeys(child, component.getType(), path + component.getName() + ".");
      }
    }
  }

  private static void override(ObjectNode node, String prefix, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix + "_" + envName(field.getKey());
      if (field.getValue() instanceof ObjectNode child) {
        override(child, name, env);
      } else if (env.containsKey(name)) {
        node.set(field.getKey(), leaf(field.getValue(), env.get(name)));
      }
    }
  }

  /**
   * Keeps the file's type: a number stays a number ("abc" stays text, so binding reports the key); lists are
   * comma-separated, or a JSON array (a list of objects, such as report.exporters).
   */
  private static JsonNode leaf(JsonNode original, String value) {
    if (original.isArray() && value.trim().startsWith("[")) {
      try {
        return STRICT.readTree(value);
      } catch (IOException e) {
        return STRICT.getNodeFactory().textNode(value);
      }
    }
    if (original.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode list = STRICT.getNodeFactory().arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    if (original.isNumber() && value.matches("-?\\d+")) {
      return STRICT.getNodeFactory().numberNode(Long.parseLong(value));
    }
    if (original.isBoolean() && (value.equals("true") || value.equals("false"))) {
      return STRICT.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
    }
    return STRICT.getNodeFactory().textNode(value);
  }

  /** camelCase to UPPER_SNAKE: ttlSeconds → TTL_SECONDS. */
  static String envName(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
