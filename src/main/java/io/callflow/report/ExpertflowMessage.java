package io.callflow.report;

import io.callflow.config.ReportConfig;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An activity record as Expertflow CX's "IVR aggregated activity" message (POST /ccm/message/receive). The message
 * id is the record's id and every time in it comes from the record, so a retried message is identical.
 */
final class ExpertflowMessage {

  static final String INTENT = "IVR_AGGREGATED_ACTIVITY";
  /** CX's call-variable type; longer values are cut to fit. */
  private static final String VARIABLE_TYPE = "String2000";
  private static final int VARIABLE_LIMIT = 2000;

  private ExpertflowMessage() {
  }

  static ObjectNode of(ActivityRecord record, ReportConfig.Expertflow target) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode message = json.objectNode();
    message.put("id", record.id());
    ObjectNode header = message.putObject("header");
    ObjectNode channel = header.putObject("channelData");
    boolean inbound = !"OUTBOUND".equals(record.direction());
    channel.put("channelCustomerIdentifier", nonNull(inbound ? record.callingParty() : record.calledParty()));
    channel.put("serviceIdentifier", target.serviceIdentifier());
    ArrayNode attributes = channel.putArray("additionalAttributes");
    target.callVariables().forEach((key, source) -> attributes.addObject()
        .put("key", key).put("type", VARIABLE_TYPE).put("value", cut(valueOf(record, source))));
    header.putObject("language");
    header.put("timestamp", record.endedAt());
    header.putObject("securityInfo");
    header.putArray("stamps");
    header.put("intent", INTENT);
    header.putObject("entities");
    header.putObject("sender")
        .put("id", target.senderId())
        .put("senderName", target.senderName())
        .put("type", "IVR")
        .putObject("additionalDetail");

    ObjectNode body = message.putObject("body");
    body.put("type", INTENT);
    body.put("callId", record.callId());
    body.put("leg", "");
    body.put("startDirection", inbound ? "INBOUND" : "OUTBOUND");
    body.put("endDirection", record.ending().transferred() ? "TRANSFER" : "DIALOG_ENDED");
    body.put("startTime", record.startedAt());
    body.put("endTime", record.endedAt());
    ArrayNode activities = body.putArray("activities");
    for (ActivityRecord.MenuVisit visit : record.menus()) {
      ObjectNode activity = activities.addObject();
      activity.put("menu", visit.menu());
      // CX shows the selection by name: the state the key led to ("Billing"), the key itself in metadata.
      activity.put("selection", visit.next() != null ? visit.next() : "");
      activity.put("timestamp", String.valueOf(visit.at()));
      ObjectNode metadata = activity.putObject("metadata");
      if (visit.selection() != null) {
        metadata.put("key", visit.selection());
      }
      metadata.put("noInput", visit.noInput()).put("invalid", visit.invalid());
    }
    body.putObject("additionalAttr1");
    body.putObject("additionalAttr2");
    return message;
  }

  /** A flow variable (already masked if secret), or one of the call's own fields. */
  private static String valueOf(ActivityRecord record, String source) {
    Map<String, String> vars = record.variables();
    if (vars.containsKey(source)) {
      return vars.get(source);
    }
    return switch (source) {
      case "callingParty" -> record.callingParty();
      case "calledParty" -> record.calledParty();
      case "flow" -> record.flow();
      case "endReason" -> record.ending().reason();
      default -> "";
    };
  }

  private static String cut(String value) {
    String text = nonNull(value);
    return text.length() <= VARIABLE_LIMIT ? text : text.substring(0, VARIABLE_LIMIT);
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
