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
import java.util.Comparator;
import java.util.List;

/** The published flow schema (flows/flow.schema.json, shipped on the classpath), loaded once. */
final class FlowSchema {

  private static final JsonSchema SCHEMA = load();

  private FlowSchema() {
  }

  /** Every schema violation as "source:/json/pointer: message", in document order. */
  static List<String> problems(String source, JsonNode flow) {
    return SCHEMA.validate(flow).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
            .thenComparing(ValidationMessage::getMessage))
        .map(m -> source + ":" + pointer(m) + ": " + m.getError())
        .distinct()
        .toList();
  }

  private static String pointer(ValidationMessage message) {
    String location = message.getInstanceLocation().toString();
    return location.isEmpty() ? "/" : location;
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
