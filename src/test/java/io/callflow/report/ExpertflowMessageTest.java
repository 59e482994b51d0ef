package io.callflow.report;

import io.callflow.config.ReportConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.report.ActivityRecord.Ending;
import io.callflow.report.ActivityRecord.MenuVisit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExpertflowMessageTest {

  static final ReportConfig.Expertflow CX = new ReportConfig.Expertflow("cx", "https://cx.example.com", "1218",
      "f1370ff7-43fa-496e-9966-e64061d35f5c", "MY-IVR", callVariables());

  private static Map<String, String> callVariables() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("callVariable1", "account");
    vars.put("callVariable2", "pin");
    vars.put("callVariable3", "missing");
    vars.put("callVariable4", "endReason");
    return vars;
  }

  static ActivityRecord record(String direction, Ending ending) {
    return new ActivityRecord(ActivityRecord.SCHEMA_VERSION, "5d7c0c8e-0000-3000-8000-000000000001", "call-1", "shop", "abc123", direction,
        "+46701234567", "+46800000009", 1680692114700L, 1680692174700L,
        List.of(new MenuVisit("main", 1680692116700L, "2", "billing", 0, 1),
            new MenuVisit("billing", 1680692120700L, null, null, 2, 0)),
        Map.of("account", "42225", "pin", "***"), List.of(), ending, List.of(), List.of());
  }

  @Test
  @DisplayName("an inbound call ended in the IVR becomes the IVR_AGGREGATED_ACTIVITY message of the CX guide")
  void dialogEnded() throws Exception {
    JsonNode message = ExpertflowMessage.of(record("INBOUND",
        new Ending("callerHangup:billing", "callerHangup", "billing", "billing", null)), CX);
    JsonNode expected = new ObjectMapper().readTree("""
        {"id": "5d7c0c8e-0000-3000-8000-000000000001",
         "header": {
           "channelData": {"channelCustomerIdentifier": "+46701234567", "serviceIdentifier": "1218",
             "additionalAttributes": [
               {"key": "callVariable1", "type": "String2000", "value": "42225"},
               {"key": "callVariable2", "type": "String2000", "value": "***"},
               {"key": "callVariable3", "type": "String2000", "value": ""},
               {"key": "callVariable4", "type": "String2000", "value": "callerHangup:billing"}]},
           "language": {}, "timestamp": 1680692174700, "securityInfo": {}, "stamps": [],
           "intent": "IVR_AGGREGATED_ACTIVITY", "entities": {},
           "sender": {"id": "f1370ff7-43fa-496e-9966-e64061d35f5c", "senderName": "MY-IVR", "type": "IVR",
                      "additionalDetail": {}}},
         "body": {"type": "IVR_AGGREGATED_ACTIVITY", "callId": "call-1", "leg": "", "startDirection": "INBOUND",
           "endDirection": "DIALOG_ENDED", "startTime": 1680692114700, "endTime": 1680692174700,
           "activities": [
             {"menu": "main", "selection": "billing", "timestamp": "1680692116700",
              "metadata": {"key": "2", "noInput": 0, "invalid": 1}},
             {"menu": "billing", "selection": "", "timestamp": "1680692120700",
              "metadata": {"noInput": 2, "invalid": 0}}],
           "additionalAttr1": {}, "additionalAttr2": {}}}
        """);
    assertEquals(expected, message);
  }

  @Test
  @DisplayName("a transferred call ends in TRANSFER; an outbound call is identified by the party called")
  void transferAndOutbound() {
    JsonNode transferred = ExpertflowMessage.of(record("INBOUND",
        new Ending("transferred", "transferred", null, "sales", "sip:sales@pbx.test")), CX);
    assertEquals("TRANSFER", transferred.at("/body/endDirection").asText());
    JsonNode outbound = ExpertflowMessage.of(record("OUTBOUND",
        new Ending("completed", "completed", null, "main", null)), CX);
    assertEquals("OUTBOUND", outbound.at("/body/startDirection").asText());
    assertEquals("DIALOG_ENDED", outbound.at("/body/endDirection").asText());
    assertEquals("+46800000009", outbound.at("/header/channelData/channelCustomerIdentifier").asText());
  }
}
