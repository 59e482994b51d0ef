package io.callflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CALLFLOW_*} environment variables. Every configuration key has one, objects and lists included:
 * {@code session.redis.url} is {@code CALLFLOW_SESSION_REDIS_URL}, {@code mediaservice.jwt} is
 * {@code CALLFLOW_MEDIASERVICE_JWT} (a JSON object). {@code NAME_FILE} reads the value from a file (Docker and
 * Kubernetes secrets). A {@code CALLFLOW_*} name that is no key stops start-up, naming it, so a misspelt variable
 * is not silently ignored.
 */
final class EnvironmentOverrides {

  static final String PREFIX = "CALLFLOW";
  static final String FILE_SUFFIX = "_FILE";

  /** A configuration key: its path from the root and its Java type. */
  record Key(List<String> path, Class<?> type, Type generic) {
  }

  private EnvironmentOverrides() {
  }

  /** Every key's variable name, parents before children. */
  static Map<String, Key> keys() {
    Map<String, Key> keys = new LinkedHashMap<>();
    walk(AppConfig.class, PREFIX, List.of(), keys);
    return keys;
  }

  private static void walk(Class<?> type, String prefix, List<String> path, Map<String, Key> keys) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = prefix + "_" + ConfigLoader.envName(component.getName());
      List<String> childPath = new ArrayList<>(path);
      childPath.add(component.getName());
      keys.put(name, new Key(List.copyOf(childPath), component.getType(), component.getGenericType()));
      if (component.getType().isRecord()) {
        walk(component.getType(), name, childPath, keys);
      }
    }
  }

  /** Sets every {@code CALLFLOW_*} variable of {@code env} into {@code root}; objects before their keys. */
  static void apply(ObjectNode root, Map<String, String> env, JsonNode sectionDefaults) {
    Map<String, Key> keys = keys();
    record Setting(String variable, Key key, String value) {
    }
    List<Setting> settings = new ArrayList<>();
    env.keySet().stream().filter(name -> name.startsWith(PREFIX + "_")).sorted().forEach(name -> {
      Key key = keys.get(name);
      String value = env.get(name);
      if (key == null && name.endsWith(FILE_SUFFIX)) {
        String base = name.substring(0, name.length() - FILE_SUFFIX.length());
        key = keys.get(base);
        if (key != null && env.containsKey(base)) {
          throw new ConfigException(name, "both " + base + " and " + name + " are set; keep one");
        }
        if (key != null) {
          value = readFile(name, value);
        }
      }
      if (key == null) {
        throw new ConfigException(name, "unknown environment variable: no configuration key has this name"
            + suggestion(name, keys));
      }
      settings.add(new Setting(name, key, value));
    });
    settings.sort(Comparator.comparingInt(s -> s.key().path().size()));
    for (Setting setting : settings) {
      set(root, setting.key(), setting.variable(), setting.value(), sectionDefaults);
    }
  }

  /** A secret file's content, without the line end most editors and {@code echo} add. */
  private static String readFile(String variable, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(variable, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void set(ObjectNode root, Key key, String variable, String value, JsonNode sectionDefaults) {
    ObjectNode parent = root;
    JsonNode defaults = sectionDefaults;
    List<String> path = key.path();
    for (String step : path.subList(0, path.size() - 1)) {
      defaults = defaults == null ? null : defaults.get(step);
      JsonNode child = parent.get(step);
      if (!(child instanceof ObjectNode)) {
        // A key inside a section that is off (null): the section is turned on with its defaults.
        child = defaults instanceof ObjectNode d ? d.deepCopy() : JsonNodeFactory.instance.objectNode();
        parent.set(step, child);
      }
      parent = (ObjectNode) child;
    }
    String name = path.get(path.size() - 1);
    JsonNode node = value(key, variable, value);
    JsonNode sectionDefault = defaults == null ? null : defaults.get(name);
    if (node instanceof ObjectNode object && key.type().isRecord()) {
      // An object from the environment is laid over what the file says, like the file over the default.
      ObjectNode base = parent.get(name) instanceof ObjectNode existing ? existing
          : sectionDefault instanceof ObjectNode d ? d.deepCopy() : JsonNodeFactory.instance.objectNode();
      ConfigLoader.merge(base, object, sectionDefault);
      parent.set(name, base);
    } else {
      parent.set(name, node);
    }
  }

  /**
   * The variable's text as the key's type: JSON for objects, maps and lists of objects; a list of strings may also
   * be comma-separated; numbers and booleans when they parse (otherwise text, and binding names the key).
   */
  private static JsonNode value(Key key, String variable, String value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    Class<?> type = key.type();
    boolean json = type.isRecord() || Map.class.isAssignableFrom(type)
        || List.class.isAssignableFrom(type) && !listOfStrings(key.generic())
        || List.class.isAssignableFrom(type) && value.trim().startsWith("[");
    if (json) {
      try {
        return ConfigLoader.STRICT.readTree(value);
      } catch (IOException e) {
        throw new ConfigException(variable, "expected JSON (" + (List.class.isAssignableFrom(type) ? "an array"
            : "an object") + "): " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
      }
    }
    if (List.class.isAssignableFrom(type)) {
      ArrayNode list = nodes.arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    if ((type == int.class || type == long.class || type == Integer.class || type == Long.class)
        && value.trim().matches("-?\\d{1,18}")) {
      return nodes.numberNode(Long.parseLong(value.trim()));
    }
    if ((type == boolean.class || type == Boolean.class) && value.trim().matches("true|false")) {
      return nodes.booleanNode(Boolean.parseBoolean(value.trim()));
    }
    return nodes.textNode(value);
  }

  private static boolean listOfStrings(Type generic) {
    return generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
  }

  /** The closest known name, for a typo. */
  private static String suggestion(String name, Map<String, Key> keys) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : keys.keySet()) {
      int d = EditDistance.between(name, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(3, name.length() / 4) ? "; did you mean " + best + "?"
        : "; see the configuration table in README.md";
  }
}
