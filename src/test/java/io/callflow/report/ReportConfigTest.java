package io.callflow.report;

import io.callflow.config.ReportConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.callflow.config.ConfigException;
import io.callflow.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportConfigTest {

  static final Path SHIPPED = Path.of("config/application.json");

  @Test
  @DisplayName("the shipped config exports nothing and logs text, so the embedded default needs no setting")
  void shippedDefaults() {
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of());
    assertEquals(List.of(), config.report().exporters());
    assertEquals("outbox", config.report().outboxDir());
    assertEquals("text", config.log().format());
  }

  @Test
  @DisplayName("CALLFLOW_REPORT_EXPORTERS takes a JSON array of typed exporters; scalar keys and log.format too")
  void environment() {
    AppConfig config = ConfigLoader.load(SHIPPED, Map.of(
        "CALLFLOW_REPORT_EXPORTERS", """
            [{"type":"expertflow","name":"cx","fqdn":"https://cx.example.com","serviceIdentifier":"1218",
              "senderId":"ivr-1","senderName":"callflow","callVariables":{"callVariable1":"account"}},
             {"type":"jsonl","name":"file","path":"records/a.jsonl","rotateBytes":1048576,"keep":5},
             {"type":"webhook","name":"crm","url":"https://crm.example.com/calls","headers":{"Authorization":"Bearer x"}}]
            """,
        "CALLFLOW_REPORT_OUTBOX_DIR", "/var/lib/callflow/outbox",
        "CALLFLOW_REPORT_MAX_AGE_HOURS", "24",
        "CALLFLOW_LOG_FORMAT", "json"));
    List<ReportConfig.Exporter> exporters = config.report().exporters();
    assertEquals(new ReportConfig.Expertflow("cx", "https://cx.example.com", "1218", "ivr-1", "callflow",
        Map.of("callVariable1", "account")), exporters.get(0));
    assertEquals(new ReportConfig.Jsonl("file", "records/a.jsonl", 1048576, 5), exporters.get(1));
    assertEquals(new ReportConfig.Webhook("crm", "https://crm.example.com/calls", Map.of("Authorization", "Bearer x")),
        exporters.get(2));
    assertEquals("/var/lib/callflow/outbox", config.report().outboxDir());
    assertEquals(24, config.report().maxAgeHours());
    assertEquals("json", config.log().format());
  }

  @Test
  @DisplayName("a bad report or log value stops start-up naming the key")
  void badValues() {
    assertMessage(Map.of("CALLFLOW_LOG_FORMAT", "xml"), "config log.format: expected text or json");
    assertMessage(Map.of("CALLFLOW_REPORT_MAX_AGE_HOURS", "0"), "config report.maxAgeHours");
    assertMessage(Map.of("CALLFLOW_REPORT_RETRY_MIN_MILLIS", "600000"), "config report.retryMinMillis");
    assertMessage(Map.of("CALLFLOW_REPORT_EXPORTERS",
        "[{\"type\":\"expertflow\",\"name\":\"cx\",\"fqdn\":\"cx.example.com\",\"serviceIdentifier\":\"1\","
            + "\"senderId\":\"a\",\"senderName\":\"b\",\"callVariables\":{}}]"), "config report.exporters[0].fqdn");
    assertMessage(Map.of("CALLFLOW_REPORT_EXPORTERS",
        "[{\"type\":\"jsonl\",\"name\":\"f\",\"path\":\"a\",\"rotateBytes\":4096,\"keep\":1},"
            + "{\"type\":\"jsonl\",\"name\":\"f\",\"path\":\"b\",\"rotateBytes\":4096,\"keep\":1}]"),
        "config report.exporters[1].name: expected a name no other exporter has");
    assertMessage(Map.of("CALLFLOW_REPORT_EXPORTERS", "[{\"type\":\"kafka\",\"name\":\"k\"}]"), "config report");
    assertMessage(Map.of("CALLFLOW_REPORT_EXPORTERS",
        "[{\"type\":\"webhook\",\"name\":\"w\",\"url\":\"https://x\",\"headers\":{},\"secret\":1}]"), "config report");
  }

  private static void assertMessage(Map<String, String> env, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(SHIPPED, env));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
