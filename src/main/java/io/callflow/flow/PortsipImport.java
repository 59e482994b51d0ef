package io.callflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a PortSIP virtual receptionist (shared/seeds/002: name, extension, language, prompt files, PIN, timeout and
 * failure forward rules, forward rules by caller input with office hours, holidays and office / non-office /
 * holiday forwards) into a callflow flow. What has no equivalent is reported, never dropped silently.
 */
public final class PortsipImport {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Map<String, String> DAYS = Map.of("monday", "mon", "tuesday", "tue", "wednesday", "wed",
      "thursday", "thu", "friday", "fri", "saturday", "sat", "sunday", "sun");
  private static final Set<String> KNOWN = Set.of("id", "name", "extension_number", "language", "dtmf_interval",
      "prompt_file_id", "prompt_file_name", "prompt_file_size", "prompt_file_url", "transfer_prompt_file_id",
      "transfer_prompt_file_name", "transfer_prompt_file_size", "transfer_prompt_file_url", "enable_pin", "pin",
      "timeout_forward_rule", "failure_forward_rule", "custom_forward_rules", "outbound_caller_ids");

  private final String sipDomain;
  private final List<String> unmapped = new ArrayList<>();
  private final ObjectNode states = JSON.objectNode();
  private JsonNode transferPrompt;

  /**
   * {@code sipDomain} is the PBX the receptionist forwards through: extensions and numbers alike become SIP URIs
   * there (1234 → sip:1234@sipDomain, +46850009000 → sip:+46850009000@sipDomain), as the mediaservice dials SIP URIs
   * only and PortSIP's own forwards leave through that PBX.
   */
  public PortsipImport(String sipDomain) {
    this.sipDomain = sipDomain;
  }

  public SmartfloImport.Result convert(JsonNode ivr) {
    String name = SmartfloImport.text(ivr, "name", "Imported receptionist");
    ObjectNode flow = JSON.objectNode().put("$schema", "flow.schema.json").put("id", SmartfloImport.slug(name))
        .put("name", name).put("description", "Imported from a PortSIP virtual receptionist.");
    ArrayNode numbers = flow.putArray("numbers");
    String extension = SmartfloImport.text(ivr, "extension_number", null);
    if (extension != null && extension.matches("\\+?[0-9]{2,20}")) {
      numbers.add(extension);
    } else if (extension != null) {
      unmapped.add("extension_number '" + extension + "' is not a number callflow can route");
    }
    if (ivr.hasNonNull("language")) {
      flow.putObject("voice").put("language", ivr.get("language").asText());
    }
    transferPrompt = file(ivr, "transfer_prompt_file");

    JsonNode failure = ivr.path("failure_forward_rule");
    if (failure.path("action").asText("").equals("FORWARD_TO_NUMBER") && failure.hasNonNull("number")) {
      flow.putObject("failsafe").put("destination", dial(failure.get("number").asText()));
    } else {
      unmapped.add("failure_forward_rule " + failure + " is no FORWARD_TO_NUMBER; the flow has no failsafe destination");
    }

    ObjectNode menu = states.putObject("menu").put("type", "menu");
    JsonNode prompt = file(ivr, "prompt_file");
    menu.set("prompt", prompt != null ? prompt : JSON.objectNode().put("say", "Please make your choice."));
    JsonNode timeoutRule = ivr.path("timeout_forward_rule");
    int timeout = timeoutRule.path("timeout").asInt(5);
    menu.put("timeout", Math.max(1, Math.min(60, timeout)));
    if (timeout > 60) {
      unmapped.add("timeout_forward_rule.timeout " + timeout + " s is over 60 s; the menu waits 60 s");
    }
    ObjectNode noInput = menu.putObject("noInput");
    noInput.put("tries", Math.max(1, Math.min(10, timeoutRule.path("repeat_times").asInt(3))));
    noInput.put("exit", rule("timeout", timeoutRule, "timeout_forward_rule"));
    menu.putObject("invalid").put("exit", Flow.FAILSAFE);
    if (ivr.hasNonNull("dtmf_interval")) {
      unmapped.add("dtmf_interval " + ivr.get("dtmf_interval").asText() + " s: callflow menus wait "
          + State.DEFAULT_BETWEEN_TIMEOUT_SECONDS + " s between digits");
    }

    ObjectNode options = menu.putObject("options");
    JsonNode rules = ivr.path("custom_forward_rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode custom = rules.get(i);
      String input = custom.path("user_input").asText("");
      if (!input.matches("[0-9*#]{1,16}")) {
        unmapped.add("custom_forward_rules[" + i + "].user_input '" + input + "' is not a key sequence");
        continue;
      }
      options.put(input, customRule("input-" + input.replace("*", "star").replace("#", "hash"), custom, i));
    }
    if (options.isEmpty()) {
      options.put("0", noInput.get("exit").asText());
      unmapped.add("no custom_forward_rules: 0 leads where the timeout rule does");
    }

    String start = "menu";
    if (ivr.path("enable_pin").asBoolean(false)) {
      start = pin(ivr.path("pin").asText(""));
    }
    for (Iterator<String> fields = ivr.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (field.equals("outbound_caller_ids") && ivr.get(field).size() > 0) {
        unmapped.add("outbound_caller_ids: set sipFrom on forwards by hand if a fixed caller id is needed");
      } else if (!KNOWN.contains(field)) {
        unmapped.add("unknown field '" + field + "'");
      }
    }
    flow.put("start", start);
    flow.set("states", states);
    return new SmartfloImport.Result(flow, List.copyOf(unmapped));
  }

  /**
   * A PIN check before the menu: a secret collect sized to the configured PIN (6-10 digits when it keeps the
   * policy), then a branch on it. A PIN that breaks the policy is still imported, since callers know it, but the
   * collect asks for exactly its length, so it can be entered; a PIN that is no digits at all can never be keyed
   * in, and is refused.
   */
  private String pin(String pin) {
    if (!pin.matches("[0-9]{1," + MAX_PIN_DIGITS + "}")) {
      throw new IllegalArgumentException("pin '" + (pin.isEmpty() ? "" : "…") + "' cannot be entered on a keypad: "
          + "enable_pin needs a PIN of 1-" + MAX_PIN_DIGITS + " digits (the policy asks for 6-10)");
    }
    List<String> broken = pinPolicy(pin);
    int min = 6;
    int max = 10;
    if (!broken.isEmpty()) {
      min = pin.length();
      max = pin.length();
      unmapped.add("pin breaks the PIN policy (" + String.join(", ", broken) + "); the PIN check asks for exactly "
          + pin.length() + " digits so callers can still enter it; choose a PIN that keeps the policy");
    }
    states.putObject("pin").put("type", "collect").put("variable", "pin").put("minDigits", min).put("maxDigits", max)
        .put("secret", true).put("next", "check-pin")
        .set("prompt", JSON.objectNode().put("say", "Please enter your PIN, then hash."));
    ObjectNode check = states.putObject("check-pin").put("type", "branch").put("otherwise", "wrong-pin");
    check.putArray("cases").addObject().put("next", "menu").putObject("when").put("var", "pin").put("equals", pin);
    states.putObject("wrong-pin").put("type", "hangup")
        .set("prompt", JSON.objectNode().put("say", "That PIN is not correct. Goodbye."));
    return "pin";
  }

  /** The longest PIN a collect can take (the schema's maxDigits). */
  static final int MAX_PIN_DIGITS = 64;

  /** The seed's PIN policy: 6-10 digits, no digit three times in a row, no three ascending or descending digits. */
  static List<String> pinPolicy(String pin) {
    List<String> broken = new ArrayList<>();
    if (!pin.matches("[0-9]{6,10}")) {
      broken.add("not 6-10 digits");
    }
    for (int i = 2; i < pin.length(); i++) {
      int a = pin.charAt(i - 2);
      int b = pin.charAt(i - 1);
      int c = pin.charAt(i);
      if (a == b && b == c && !broken.contains("repeating digits")) {
        broken.add("repeating digits");
      }
      if ((b - a == 1 && c - b == 1 || a - b == 1 && b - c == 1) && !broken.contains("sequential digits")) {
        broken.add("sequential digits");
      }
    }
    return broken;
  }

  /** Input → office hours → office / non-office / holiday forwards. */
  private String customRule(String id, JsonNode custom, int index) {
    String where = "custom_forward_rules[" + index + "]";
    String office = rule(id + "-office", custom.path("office_hours_forward_rule"), where + ".office_hours_forward_rule");
    JsonNode hours = custom.path("office_hours");
    if (!hours.path("mode").asText("").equals("CUSTOM")) {
      unmapped.add(where + ".office_hours.mode '" + hours.path("mode").asText("") + "': only CUSTOM hours are "
          + "imported; the office-hours rule always applies");
      return office;
    }
    ObjectNode state = states.putObject(id).put("type", "hours").put("timezone", "UTC");
    unmapped.add(where + ": PortSIP hours carry no time zone; UTC was set, change timezone to the office's");
    ObjectNode weekly = state.putObject("weekly");
    DAYS.forEach((day, key) -> {
      JsonNode spec = hours.path(day);
      if (spec.path("enabled").asBoolean(false)) {
        ArrayNode ranges = weekly.putArray(key);
        spec.path("ranges").forEach(r -> ranges.add(r.path("from").asText() + "-" + r.path("to").asText()));
      }
    });
    state.put("open", office);
    state.put("closed", rule(id + "-closed", custom.path("non_office_hours_forward_rule"),
        where + ".non_office_hours_forward_rule"));
    ArrayNode holidays = state.putArray("holidays");
    JsonNode given = custom.path("holidays");
    for (int h = 0; h < given.size(); h++) {
      holidays(given.get(h), where + ".holidays[" + h + "]", holidays);
    }
    if (!holidays.isEmpty()) {
      state.put("holiday", rule(id + "-holiday", custom.path("holiday_forward_rule"), where + ".holiday_forward_rule"));
    }
    return id;
  }

  /** A holiday object becomes dates (MM-DD every year, else YYYY-MM-DD); an id alone cannot be resolved. */
  private void holidays(JsonNode holiday, String where, ArrayNode out) {
    if (!holiday.isObject()) {
      unmapped.add(where + " '" + holiday.asText() + "' is a holiday id; add its dates to the hours state's holidays");
      return;
    }
    if (holiday.path("hour_start").asInt(0) != 0 || holiday.path("hour_end").asInt(0) != 0
        || holiday.path("minute_start").asInt(0) != 0 || holiday.path("minute_end").asInt(0) != 0) {
      unmapped.add(where + " has hours and minutes; callflow holidays are whole days");
    }
    int month = holiday.path("month_start").asInt();
    int monthEnd = holiday.path("month_end").asInt(month);
    int day = holiday.path("day_start").asInt();
    int dayEnd = holiday.path("day_end").asInt(day);
    boolean everyYear = holiday.path("every_year").asBoolean(false);
    int year = holiday.path("year_start").asInt();
    try {
      java.time.LocalDate date = java.time.LocalDate.of(everyYear ? 2000 : year, month, day);
      java.time.LocalDate last = java.time.LocalDate.of(everyYear ? 2000 : holiday.path("year_end").asInt(year),
          monthEnd, dayEnd);
      for (int n = 0; !date.isAfter(last) && n < 366; n++, date = date.plusDays(1)) {
        out.add(everyYear ? String.format("%02d-%02d", date.getMonthValue(), date.getDayOfMonth()) : date.toString());
      }
    } catch (java.time.DateTimeException e) {
      unmapped.add(where + " is not a real date: " + e.getMessage());
    }
  }

  /** A forward rule as a state: FORWARD_TO_NUMBER becomes a forward (with the transfer prompt); else failsafe. */
  private String rule(String id, JsonNode rule, String where) {
    String action = rule.path("action").asText("");
    if (action.equals("FORWARD_TO_NUMBER") && rule.hasNonNull("number")) {
      ObjectNode forward = states.putObject(id).put("type", "forward").put("destination", dial(rule.get("number").asText()));
      if (transferPrompt != null) {
        forward.set("prompt", transferPrompt);
      }
      return id;
    }
    unmapped.add(where + " action '" + action + "' has no callflow equivalent; the caller goes to the failsafe");
    return Flow.FAILSAFE;
  }

  private String dial(String number) {
    return "sip:" + number + "@" + sipDomain;
  }

  /** A prompt file by name (GET form) or id (POST form). */
  private JsonNode file(JsonNode ivr, String field) {
    String name = SmartfloImport.text(ivr, field + "_name", SmartfloImport.text(ivr, field + "_id", null));
    return name == null ? null : JSON.objectNode().put("file", name);
  }
}
