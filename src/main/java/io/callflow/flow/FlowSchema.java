package io.callflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The published flow schema (flows/flow.schema.json, shipped on the classpath), loaded once. */
final class FlowSchema {

  private static final JsonSchema SCHEMA = load();

  private FlowSchema() {
  }

  /** Every schema violation, at the key it concerns, in document order. */
  static List<InvalidFields.Problem> problems(JsonNode flow) {
    return SCHEMA.validate(flow).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
            .thenComparing(ValidationMessage::getMessage))
        .map(m -> new InvalidFields.Problem(pointer(m), message(m)))
        .distinct()
        .toList();
  }

  /** Where the problem is; a key the schema does not allow is itself the place, not the object holding it. */
  private static String pointer(ValidationMessage message) {
    String location = message.getInstanceLocation().toString();
    if ("additionalProperties".equals(message.getType()) && message.getProperty() != null) {
      return location + "/" + JsonPointers.token(message.getProperty());
    }
    return location.isEmpty() ? "/" : location;
  }

  /** The validator's words, except that a value outside an enum is echoed with the values allowed. */
  private static String message(ValidationMessage m) {
    JsonNode allowed = m.getSchemaNode();
    JsonNode given = m.getInstanceNode();
    if (!"enum".equals(m.getType()) || allowed == null || !allowed.isArray() || given == null) {
      return m.getError();
    }
    List<String> values = new ArrayList<>();
    allowed.forEach(value -> values.add(value.isTextual() ? value.asText() : value.toString()));
    return "unknown " + what(m.getInstanceLocation().toString()) + " '" + (given.isTextual() ? given.asText() : given)
        + "' (one of " + String.join(", ", values) + ")";
  }

  /** What an enum at this pointer chooses: "state type" for /states/x/type, else the key's own name. */
  private static String what(String pointer) {
    String key = pointer.substring(pointer.lastIndexOf('/') + 1);
    return pointer.matches("/states/[^/]+/type") ? "state type" : key;
  }

  private static JsonSchema load() {
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    try (InputStream in = FlowSchema.class.getResourceAsStream("/flow.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("flow.schema.json is missing from the classpath");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
