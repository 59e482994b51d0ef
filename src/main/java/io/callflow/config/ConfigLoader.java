package io.callflow.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the configuration in three layers: the embedded default (the shipped {@code config/application.json},
 * inside the jar), then the config file, which may name only the keys it changes, then {@code CALLFLOW_*}
 * environment variables (see {@link EnvironmentOverrides}). Unknown keys and wrong types are errors naming the key.
 */
public final class ConfigLoader {

  /** Where the shipped configuration sits on the class path (copied there by the build). */
  static final String EMBEDDED = "/embedded/config/application.json";

  static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /**
   * Defaults of sections that are off (null) by default, used as soon as a file or a variable turns them on:
   * {@code "jwt": {"privateKeyFile": "k.pem"}} gets the other JWT keys from here.
   */
  private static final String SECTION_DEFAULTS = """
      {"mediaservice": {"jwt": {"privateKeyFile": null, "issuer": null, "subject": null, "audience": null,
                                "ttlSeconds": 300}}}""";

  /** Defaults of each exporter type's keys, so an exporter names only what it needs. */
  private static final String EXPORTER_DEFAULTS = """
      {"jsonl": {"rotateBytes": 104857600, "keep": 10},
       "webhook": {"headers": {}},
       "expertflow": {"callVariables": {}}}""";

  private ConfigLoader() {
  }

  /** The embedded default, the file at {@code file} over it, then the environment. */
  public static AppConfig load(Path file, Map<String, String> env) {
    JsonNode tree;
    try {
      tree = STRICT.readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file.toString(), "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new ConfigException(file.toString(), "expected a JSON object");
    }
    return build(root, env);
  }

  /** The embedded default with the environment over it: what runs when there is no config file. */
  public static AppConfig loadEmbedded(Map<String, String> env) {
    return build(STRICT.createObjectNode(), env);
  }

  private static AppConfig build(ObjectNode file, Map<String, String> env) {
    checkKeys(file, AppConfig.class, "");
    ObjectNode merged = embedded();
    merge(merged, file, parse(SECTION_DEFAULTS));
    EnvironmentOverrides.apply(merged, env, parse(SECTION_DEFAULTS));
    exporterDefaults(merged);
    return bind(merged).validate();
  }

  /** The shipped configuration, read from the class path. */
  static ObjectNode embedded() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new IllegalStateException(EMBEDDED + " is not on the class path (the build copies it there)");
      }
      return (ObjectNode) STRICT.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + EMBEDDED, e);
    }
  }

  /**
   * Lays {@code over} onto {@code base}: objects merge key by key, anything else (values, lists, null) replaces.
   * An object laid where the base has null starts from its section default, when there is one.
   */
  static void merge(ObjectNode base, JsonNode over, JsonNode sectionDefaults) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode current = base.get(field.getKey());
      JsonNode defaults = sectionDefaults == null ? null : sectionDefaults.get(field.getKey());
      if (field.getValue() instanceof ObjectNode value) {
        ObjectNode target = current instanceof ObjectNode existing ? existing
            : defaults instanceof ObjectNode section && !hasObjects(section) ? section.deepCopy()
            : STRICT.createObjectNode();
        merge(target, value, defaults);
        base.set(field.getKey(), target);
      } else {
        base.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }

  /** True for a level of section defaults that leads further down (not itself a section's defaults). */
  private static boolean hasObjects(JsonNode node) {
    for (JsonNode child : node) {
      if (child.isObject()) {
        return true;
      }
    }
    return false;
  }

  private static void exporterDefaults(ObjectNode root) {
    JsonNode exporters = root.path("report").path("exporters");
    if (!(exporters instanceof ArrayNode list)) {
      return;
    }
    JsonNode byType = parse(EXPORTER_DEFAULTS);
    for (JsonNode exporter : list) {
      if (exporter instanceof ObjectNode object && byType.get(object.path("type").asText()) instanceof ObjectNode d) {
        d.fields().forEachRemaining(f -> {
          if (!object.has(f.getKey())) {
            object.set(f.getKey(), f.getValue().deepCopy());
          }
        });
      }
    }
  }

  static JsonNode parse(String json) {
    try {
      return STRICT.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static AppConfig bind(JsonNode tree) {
    checkKeys(tree, AppConfig.class, "");
    try {
      return STRICT.treeToValue(tree, AppConfig.class);
    } catch (JsonMappingException e) {
      String key = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
          .reduce("", String::concat).replaceFirst("^\\.", "");
      String message = e.getOriginalMessage();
      if (message.startsWith("Null value for creator property")) {
        key = (key.isEmpty() ? "" : key + ".") + message.replaceFirst(".*property '([^']*)'.*", "$1");
        message = "expected a value (this key has no default)";
      }
      throw new ConfigException(key.isEmpty() ? "(root)" : key, message);
    } catch (IOException e) {
      throw new ConfigException("(root)", e.getMessage());
    }
  }

  /** Every key must be a record component, so a typo is named instead of ignored. */
  static void checkKeys(JsonNode node, Class<?> type, String path) {
    if (!type.isRecord()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(path.isEmpty() ? "(root)" : path.substring(0, path.length() - 1), "expected an object");
    }
    List<String> names = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    node.fieldNames().forEachRemaining(name -> {
      if (!names.contains(name)) {
        throw new ConfigException(path + name, "unknown key; expected one of " + names);
      }
    });
    for (RecordComponent component : type.getRecordComponents()) {
      JsonNode child = node.get(component.getName());
      if (child != null && !child.isNull()) {
        checkKeys(child, component.getType(), path + component.getName() + ".");
      }
    }
  }

  /** camelCase to UPPER_SNAKE: ttlSeconds → TTL_SECONDS. */
  static String envName(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }
}
