package io.callflow.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of the mediaservice REST operations callflow calls, as seed 004 documents them: every field
 * the vendor lists with its type, and the fields an operation cannot do without (the document marks none required;
 * these are the ones its descriptions say the service needs, mediaservice-protocol.md). A body with an undocumented
 * field, a field of the wrong type or a missing required one is refused, as a strict real service could.
 */
final class RestBodies {

  /** A documented field type. */
  enum Type { STRING, NUMBER, BOOLEAN, OBJECT }

  private record Operation(Map<String, Type> fields, List<String> required) {
  }

  private static final Map<String, Operation> OPERATIONS = Map.of(
      "placeivrcall", new Operation(Map.ofEntries(
          Map.entry("sipFrom", Type.STRING), Map.entry("xHeaders", Type.OBJECT),
          Map.entry("sessionReferenceId", Type.OBJECT), Map.entry("sipDiversion", Type.STRING),
          Map.entry("displayName", Type.STRING), Map.entry("callerPrivacy", Type.BOOLEAN),
          Map.entry("contactParameters", Type.OBJECT), Map.entry("sipDiversionParameters", Type.OBJECT),
          Map.entry("pHeaders", Type.OBJECT), Map.entry("contactUserParameters", Type.OBJECT),
          Map.entry("destAddr", Type.STRING), Map.entry("mediaserviceId", Type.STRING),
          Map.entry("maxRingTime", Type.NUMBER)), List.of("destAddr")),
      "interruptivrcommand", new Operation(Map.of("replyId", Type.STRING, "sessionId", Type.STRING),
          List.of("replyId", "sessionId")),
      "startrecording", new Operation(Map.of("recordingFileName", Type.STRING, "replyId", Type.STRING,
          "connectionId", Type.STRING), List.of("replyId", "connectionId")),
      "stoprecording", new Operation(Map.of("replyId", Type.STRING, "connectionId", Type.STRING),
          List.of("replyId", "connectionId")),
      "hangupparticipant", new Operation(Map.of("participantId", Type.STRING, "replyId", Type.STRING,
          "sessionId", Type.STRING), List.of("participantId", "replyId", "sessionId")),
      "splitconnection", new Operation(Map.of("replyId", Type.STRING, "connectionId", Type.STRING),
          List.of("replyId", "connectionId")));

  private RestBodies() {
  }

  /** What is wrong with {@code body} for {@code operation}, or null when it is as documented. */
  static String problem(String operation, JsonObject body) {
    Operation documented = OPERATIONS.get(operation);
    if (documented == null) {
      return "operation " + operation + " is not one the simulator serves";
    }
    for (String field : body.fieldNames()) {
      Type type = documented.fields().get(field);
      if (type == null) {
        return operation + ": field '" + field + "' is not in the documented body";
      }
      if (!matches(type, body.getValue(field))) {
        return operation + ": field '" + field + "' must be a " + type.name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    for (String field : documented.required()) {
      Object value = body.getValue(field);
      if (value == null || value instanceof String text && text.isBlank()) {
        return operation + ": field '" + field + "' is required";
      }
    }
    return null;
  }

  /** Whether an Authorization header is the vendor's jwtAuthorizer form: {@code Bearer <token>}. */
  static boolean bearer(String authorization) {
    return authorization != null && authorization.startsWith("Bearer ") && !authorization.substring(7).isBlank();
  }

  private static boolean matches(Type type, Object value) {
    return switch (type) {
      case STRING -> value instanceof String;
      case NUMBER -> value instanceof Number;
      case BOOLEAN -> value instanceof Boolean;
      case OBJECT -> value instanceof JsonObject;
    };
  }
}
