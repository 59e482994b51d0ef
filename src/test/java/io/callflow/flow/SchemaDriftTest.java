package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema is written by hand for editors (descriptions, patterns), and the records decide what the parser
 * accepts: this test fails as soon as the two name different state types or different properties.
 */
class SchemaDriftTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode schema() throws IOException {
    return JSON.readTree(Files.readString(Path.of("flows/flow.schema.json")));
  }

  @Test
  @DisplayName("the schema names exactly the state types of State, each with exactly its record's properties")
  void statesMatchTheSchema() throws IOException {
    JsonNode defs = schema().path("$defs");
    Map<String, Set<String>> fromRecords = new TreeMap<>();
    for (JsonSubTypes.Type type : State.class.getAnnotation(JsonSubTypes.class).value()) {
      Set<String> properties = properties(type.value());
      properties.add(State.class.getAnnotation(JsonTypeInfo.class).property());
      fromRecords.put(type.name(), properties);
    }
    Map<String, Set<String>> fromSchema = new TreeMap<>();
    defs.path("state").path("properties").path("type").path("enum")
        .forEach(name -> fromSchema.put(name.asText(), names(defs.path(name.asText()).path("properties"))));
    assertEquals(fromRecords, fromSchema);

    Set<String> dispatched = new TreeSet<>();
    defs.path("state").path("allOf").forEach(rule -> {
      String name = rule.path("if").path("properties").path("type").path("const").asText();
      assertEquals("#/$defs/" + name, rule.path("then").path("$ref").asText(), "the rule for " + name);
      assertEquals(name, defs.path(name).path("properties").path("type").path("const").asText());
      dispatched.add(name);
    });
    assertEquals(fromRecords.keySet(), dispatched, "every type has its if/then rule");
  }

  @Test
  @DisplayName("the flow, its failsafe and voice, prompts, retries, branch cases and conditions match their records")
  void partsMatchTheSchema() throws IOException {
    JsonNode schema = schema();
    JsonNode defs = schema.path("$defs");
    Set<String> flow = properties(Flow.class);
    flow.remove("version");
    assertEquals(flow, names(schema.path("properties")), "the flow");
    assertEquals(properties(Flow.Failsafe.class), names(schema.path("properties").path("failsafe").path("properties")));
    assertEquals(properties(Flow.Voice.class), names(schema.path("properties").path("voice").path("properties")));
    assertEquals(properties(Prompt.class), names(defs.path("prompt").path("properties")), "a prompt");
    assertEquals(properties(Retry.class), names(defs.path("retry").path("properties")), "a retry");
    assertEquals(properties(Condition.class), names(defs.path("condition").path("properties")), "a condition");
    assertEquals(properties(State.Case.class),
        names(defs.path("branch").path("properties").path("cases").path("items").path("properties")), "a case");
  }

  @Test
  @DisplayName("each state of the example and test flows says the type its JSON names, and every type has one")
  void typeNamesMatch() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("flows", "src/test/resources/flows", "src/test/resources/talkback")) {
      try (Stream<Path> listed = Files.list(Path.of(dir))) {
        listed.filter(p -> p.toString().endsWith(".json") && !p.endsWith("flow.schema.json")).forEach(files::add);
      }
    }
    Set<String> seen = new TreeSet<>();
    for (Path file : files) {
      JsonNode states = JSON.readTree(file.toFile()).path("states");
      Flow parsed = new FlowParser().parse(file.toString(), Files.readAllBytes(file));
      parsed.states().forEach((id, state) -> {
        assertEquals(states.path(id).path("type").asText(), state.type(), file + " " + id);
        seen.add(state.type());
      });
    }
    assertEquals(names(schema().path("$defs").path("state").path("properties").path("type").path("enum")), seen,
        "the example flows use every state type");
  }

  @Test
  @DisplayName("the jar carries the published schema itself, not a copy")
  void classpathSchemaIsThePublishedOne() throws IOException {
    try (InputStream in = SchemaDriftTest.class.getResourceAsStream("/flow.schema.json")) {
      assertEquals(Files.readString(Path.of("flows/flow.schema.json")), new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** A record's JSON property names: its components, renamed where {@link JsonProperty} says so. */
  private static Set<String> properties(Class<?> record) {
    Set<String> names = new TreeSet<>();
    for (RecordComponent component : record.getRecordComponents()) {
      JsonProperty renamed;
      try {
        renamed = record.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
      } catch (NoSuchFieldException e) {
        throw new AssertionError(e);
      }
      names.add(renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName());
    }
    return names;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    if (node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    } else {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }
}
