package io.callflow.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The response schemas of seed 004 (the vendor's mediaservice API document), for checking callflow's answers key
 * by key: every key must be one the document lists for that callback, of its type, with a value from its enum.
 * Where the document lost an enum (action, bargeIn, phrase format) the values are those of our reference and
 * protocol decisions. Notifications have no documented response: callflow answers {} (mediaservice-protocol.md).
 */
final class VendorSchema {

  /** A documented type: a JSON type, and for strings an optional enum. */
  private record Field(String type, Set<String> values, Map<String, Field> fields) {
    static Field string(String... values) {
      return new Field("string", Set.of(values), null);
    }

    static Field of(String type) {
      return new Field(type, Set.of(), null);
    }

    static Field object(Map<String, Field> fields) {
      return new Field("object", Set.of(), fields);
    }
  }

  private static final Field STRING = Field.string();
  private static final Field NUMBER = Field.of("number");
  private static final Field BOOLEAN = Field.of("boolean");
  private static final Field OBJECT = Field.of("object");
  /** A number the document's sample writes as a number and its schema as a string (receivePort). */
  private static final Field NUMBER_OR_STRING = Field.of("number|string");

  private static final Map<String, Field> CALL_ACTION = Map.ofEntries(
      Map.entry("action", Field.string("drop", "call", "ivr", "connect", "httpcall")),
      Map.entry("callerPrivacy", BOOLEAN), Map.entry("callRecording", BOOLEAN),
      Map.entry("contactParameters", OBJECT), Map.entry("contactUserParameters", OBJECT),
      Map.entry("destAddr", Field.of("sipUri|array")), Map.entry("displayName", STRING),
      Map.entry("dropCode", Field.string("busy", "error", "numberNotFound", "numberNotActive", "dropNoMsg",
          "temporarilyUnavailable")),
      Map.entry("greeting", OBJECT), Map.entry("maxRingTime", NUMBER), Map.entry("monitorDestAddr", STRING),
      Map.entry("monitorPHeaders", OBJECT), Map.entry("monitorXHeaders", OBJECT), Map.entry("participantId", STRING),
      Map.entry("pHeaders", OBJECT), Map.entry("ringbackTone", Field.string("default", "silent", "remoteGenerated")),
      Map.entry("recordingFileName", STRING), Map.entry("sessionReferenceId", OBJECT),
      Map.entry("sipDiversion", STRING), Map.entry("sipDiversionParameters", OBJECT), Map.entry("sipFrom", STRING),
      Map.entry("sipPAI", STRING), Map.entry("sipRPID", STRING), Map.entry("sipTo", STRING),
      Map.entry("xHeaders", OBJECT), Map.entry("monitorSipFrom", STRING),
      // callEvent only:
      Map.entry("codec", Field.string("PCMU", "PCMA", "GSM")), Map.entry("receiveIp", STRING),
      Map.entry("receivePort", NUMBER_OR_STRING), Map.entry("copyHeaders", Field.of("array")));

  private static final Map<String, Field> PHRASE = Map.of(
      "format", Field.string("awstts", "googletts", "file", "url"), "region", STRING,
      "awsTTSParameters", OBJECT, "googleTTSParameters", OBJECT, "cacheTimeToLive", STRING,
      "refreshCache", BOOLEAN, "fileName", STRING, "url", STRING);

  private static final Map<String, Field> IVR_COMMAND = Map.ofEntries(
      Map.entry("sessionId", STRING), Map.entry("sessionReferenceId", OBJECT),
      Map.entry("dtmf", Field.object(Map.of("flush", BOOLEAN,
          "encryption", Field.object(Map.of("type", Field.string("md5"), "salt", STRING)),
          "maxDigits", NUMBER, "firstTimeout", NUMBER, "betweenTimeout", NUMBER, "terminationKey", STRING))),
      Map.entry("phrases", Field.of("phrases")),
      Map.entry("backgroundPrompt", Field.object(Map.of("fileName", STRING, "url", STRING, "repeatPause", NUMBER,
          "stop", BOOLEAN))),
      Map.entry("bargeIn", Field.string("current", "all")), Map.entry("recordedCallback", BOOLEAN),
      Map.entry("hangup", BOOLEAN), Map.entry("getIVRCommandAfter", NUMBER), Map.entry("replyId", STRING));

  private static final Map<String, Map<String, Field>> RESPONSES = Map.of(
      "newCall", CALL_ACTION,
      "callEvent", CALL_ACTION,
      "getIvrCommand", IVR_COMMAND,
      "getCallIdentifier", Map.of("sessionId", STRING, "sessionReferenceId", OBJECT),
      "newRemoteCall", Map.of("sessionReferenceId", STRING));

  private VendorSchema() {
  }

  /** Everything in {@code answer} the document does not allow for {@code callback}'s response; empty if none. */
  static List<String> problems(String callback, JsonObject answer) {
    List<String> problems = new ArrayList<>();
    Map<String, Field> schema = RESPONSES.get(callback);
    if (schema == null) {
      if (!answer.isEmpty()) {
        problems.add(callback + " is a notification: the answer must be {}, was " + answer.encode());
      }
      return problems;
    }
    if (answer.isEmpty() && !callback.equals("newRemoteCall")) {
      problems.add(callback + ": empty answer");
    }
    if ((callback.equals("newCall") || callback.equals("callEvent")) && answer.getValue("action") == null) {
      problems.add(callback + ": no action");
    }
    check(callback, answer, schema, problems);
    return problems;
  }

  private static void check(String where, JsonObject object, Map<String, Field> schema, List<String> problems) {
    for (String key : object.fieldNames()) {
      Field field = schema.get(key);
      Object value = object.getValue(key);
      String at = where + "." + key;
      if (field == null) {
        problems.add(at + " is not in the document");
      } else if (value == null) {
        problems.add(at + " is null (responses omit null fields)");
      } else {
        checkValue(at, field, value, problems);
      }
    }
  }

  private static void checkValue(String at, Field field, Object value, List<String> problems) {
    switch (field.type()) {
      case "string" -> {
        if (!(value instanceof String text)) {
          problems.add(at + " must be a string: " + value);
        } else if (!field.values().isEmpty() && !field.values().contains(text)) {
          problems.add(at + " = '" + text + "' is not one of " + field.values());
        }
      }
      case "number" -> {
        if (!(value instanceof Number)) {
          problems.add(at + " must be a number: " + value);
        }
      }
      case "number|string" -> {
        if (!(value instanceof Number) && !(value instanceof String)) {
          problems.add(at + " must be a number or a string: " + value);
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          problems.add(at + " must be a boolean: " + value);
        }
      }
      case "array" -> {
        if (!(value instanceof JsonArray)) {
          problems.add(at + " must be an array: " + value);
        }
      }
      case "sipUri|array" -> {
        if (!(value instanceof JsonArray) && !(value instanceof String uri && uri.matches("sips?:[^@\\s]+@\\S+"))) {
          problems.add(at + " must be a sip: URI (or an array of destinations): " + value);
        }
      }
      case "phrases" -> {
        if (!(value instanceof JsonArray phrases)) {
          problems.add(at + " must be an array: " + value);
        } else {
          for (int i = 0; i < phrases.size(); i++) {
            if (phrases.getValue(i) instanceof JsonObject phrase) {
              check(at + "[" + i + "]", phrase, PHRASE, problems);
            } else {
              problems.add(at + "[" + i + "] must be an object");
            }
          }
        }
      }
      default -> {
        if (!(value instanceof JsonObject object)) {
          problems.add(at + " must be an object: " + value);
        } else if (field.fields() != null) {
          check(at, object, field.fields(), problems);
        }
      }
    }
  }
}
