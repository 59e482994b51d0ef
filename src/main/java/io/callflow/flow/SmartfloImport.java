package io.callflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a Smartflo IVR definition (shared/seeds/001: name, recording, options → destinations, retry counts and
 * recordings, invalid and timeout destinations) into a callflow flow. What has no equivalent is reported, never
 * dropped silently.
 */
public final class SmartfloImport {

  /** The flow as JSON, and one line per source field that could not be mapped. */
  public record Result(ObjectNode flow, List<String> unmapped) {
  }

  private static final Set<String> KNOWN = Set.of("name", "description", "recording", "timeout", "option",
      "destination", "incorrect_count", "timeout_recording", "invalid_recording", "invalid_destination",
      "timeout_retry_recording", "timeout_destination", "timeout_tries", "sms_template");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String sipDomain;
  private final List<String> unmapped = new ArrayList<>();
  private final ObjectNode states = JSON.objectNode();

  /** {@code sipDomain} turns extensions and numbers into SIP URIs: extension|1234 → sip:1234@sipDomain. */
  public SmartfloImport(String sipDomain) {
    this.sipDomain = sipDomain;
  }

  public Result convert(JsonNode ivr) {
    String name = text(ivr, "name", "Imported IVR");
    ObjectNode menu = states.putObject("menu").put("type", "menu");
    menu.set("prompt", prompt(text(ivr, "recording", null), "recording"));
    int timeout = ivr.path("timeout").asInt(5);
    if (timeout < 1 || timeout > 60) {
      unmapped.add("timeout " + timeout + " s is outside 1-60 s; the menu waits " + Math.max(1, Math.min(60, timeout)) + " s");
    }
    menu.put("timeout", Math.max(1, Math.min(60, timeout)));
    ObjectNode options = menu.putObject("options");
    JsonNode keys = ivr.path("option");
    JsonNode destinations = ivr.path("destination");
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i).asText();
      if (!key.matches("[0-9*#]{1,16}")) {
        unmapped.add("option[" + i + "] '" + key + "' is not a key sequence (0-9, *, #)");
        continue;
      }
      options.put(key, destination("option-" + key, destinations.path(i).asText(null), null, "destination[" + i + "]"));
    }
    if (keys.size() != destinations.size()) {
      unmapped.add(keys.size() + " options but " + destinations.size() + " destinations; the extra ones are ignored");
    }
    ObjectNode invalid = menu.putObject("invalid");
    invalid.set("prompt", prompt(text(ivr, "invalid_recording", null), "invalid_recording"));
    invalid.put("tries", tries(ivr, "incorrect_count"));
    invalid.put("exit", destination("invalid-destination", text(ivr, "invalid_destination", null), null,
        "invalid_destination"));
    ObjectNode noInput = menu.putObject("noInput");
    noInput.set("prompt", prompt(text(ivr, "timeout_retry_recording", null), "timeout_retry_recording"));
    noInput.put("tries", tries(ivr, "timeout_tries"));
    noInput.put("exit", destination("timeout-destination", text(ivr, "timeout_destination", null),
        text(ivr, "timeout_recording", null), "timeout_destination"));
    if (ivr.has("sms_template")) {
      unmapped.add("sms_template " + ivr.get("sms_template") + ": callflow sends no SMS");
    }
    for (Iterator<String> fields = ivr.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!KNOWN.contains(field)) {
        unmapped.add("unknown field '" + field + "'");
      }
    }
    unmapped.add("no failsafe in the source: set failsafe.destination before going live");
    ObjectNode flow = JSON.objectNode().put("$schema", "flow.schema.json").put("id", slug(name)).put("name", name);
    flow.put("description", text(ivr, "description", "Imported from Smartflo."));
    flow.putArray("numbers");
    flow.put("start", "menu");
    flow.set("states", states);
    return new Result(flow, List.copyOf(unmapped));
  }

  /** A state that sends the caller to a Smartflo destination ("extension|1234", "number|+4612…", "hangup|"). */
  private String destination(String id, String destination, String recording, String field) {
    if (destination == null || !destination.contains("|")) {
      unmapped.add(field + " '" + destination + "' is not TYPE|VALUE; the caller goes to the failsafe");
      return Flow.FAILSAFE;
    }
    String type = destination.substring(0, destination.indexOf('|')).toLowerCase(Locale.ROOT);
    String value = destination.substring(destination.indexOf('|') + 1);
    ObjectNode state = states.putObject(id);
    if (type.equals("hangup")) {
      state.put("type", "hangup");
    } else if ((type.equals("extension") || type.equals("number")) && value.matches("\\+?[0-9]{2,20}")) {
      state.put("type", "forward").put("destination", value.startsWith("+") && type.equals("number")
          ? value : "sip:" + value + "@" + sipDomain);
    } else {
      states.remove(id);
      unmapped.add(field + " '" + destination + "': destination type '" + type + "' has no callflow equivalent; "
          + "the caller goes to the failsafe");
      return Flow.FAILSAFE;
    }
    if (recording != null) {
      state.set("prompt", prompt(recording, "timeout_recording"));
    }
    return id;
  }

  /** "recording|28935" → {"file": "recording-28935"}: upload the recording to prompt storage under that name. */
  private ObjectNode prompt(String recording, String field) {
    if (recording == null || recording.isBlank()) {
      unmapped.add(field + " is missing; a spoken placeholder is used");
      return JSON.objectNode().put("say", "Please choose an option.");
    }
    return JSON.objectNode().put("file", recording.replace('|', '-'));
  }

  /** Smartflo counts retries after the first answer; callflow counts answers. */
  private static int tries(JsonNode ivr, String field) {
    return Math.max(1, Math.min(10, ivr.path(field).asInt(2) + 1));
  }

  static String text(JsonNode ivr, String field, String fallback) {
    JsonNode value = ivr.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  static String slug(String name) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "imported" : slug.length() > 64 ? slug.substring(0, 64) : slug;
  }
}
