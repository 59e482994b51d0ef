package io.callflow.report;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * callflow's log lines read "call.ended callId=… flow=… state=… reason=…": this writes the event name and each
 * key=value as JSON fields of their own, so a log shipper can filter on callId or event without parsing. The
 * message stays whole beside them. Keys that would clash with the encoder's own fields are left in the message.
 */
final class EventFields extends AbstractJsonProvider<ILoggingEvent> {

  private static final Pattern EVENT = Pattern.compile("^([a-z]+(?:\\.[a-zA-Z]+)+)(?=\\s|$)");
  /** A value runs to the next " key=" or the end, so "cause=Connection refused: …" stays whole. */
  private static final Pattern PAIR = Pattern.compile(
      "(?<=\\s)([a-zA-Z][a-zA-Z0-9]*)=(.*?)(?=\\s[a-zA-Z][a-zA-Z0-9]*=|$)", Pattern.DOTALL);
  private static final Set<String> RESERVED = Set.of("message", "level", "level_value", "logger_name", "thread_name",
      "stack_trace", "event", "tags");

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String message = event.getFormattedMessage();
    if (message == null) {
      return;
    }
    Matcher name = EVENT.matcher(message);
    if (!name.find()) {
      return;
    }
    generator.writeStringField("event", name.group(1));
    Set<String> written = new HashSet<>();
    Matcher pair = PAIR.matcher(message);
    while (pair.find()) {
      String key = pair.group(1);
      if (!RESERVED.contains(key) && !key.startsWith("@") && written.add(key)) {
        generator.writeFieldName(key);
        writeValue(generator, pair.group(2));
      }
    }
  }

  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+");
  private static final Pattern LIST = Pattern.compile("\\[(.*)]", Pattern.DOTALL);

  /**
   * A value as its JSON type, so a shipper can compare and sum it: whole and decimal numbers, true/false, null,
   * and "[a, b]" (a logged list) as an array of strings; anything else stays a string.
   */
  private static void writeValue(JsonGenerator generator, String value) throws IOException {
    if (INTEGER.matcher(value).matches()) {
      generator.writeNumber(Long.parseLong(value));
    } else if (DECIMAL.matcher(value).matches()) {
      generator.writeNumber(new java.math.BigDecimal(value));
    } else if (value.equals("true") || value.equals("false")) {
      generator.writeBoolean(Boolean.parseBoolean(value));
    } else if (value.equals("null")) {
      generator.writeNull();
    } else if (LIST.matcher(value).matches()) {
      String items = value.substring(1, value.length() - 1).trim();
      generator.writeStartArray();
      if (!items.isEmpty()) {
        for (String item : items.split(",\\s*")) {
          generator.writeString(item);
        }
      }
      generator.writeEndArray();
    } else {
      generator.writeString(value);
    }
  }
}
