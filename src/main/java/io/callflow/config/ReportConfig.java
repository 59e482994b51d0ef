package io.callflow.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code report} section: where undelivered activity records wait ({@code outboxDir}), how long they may wait
 * before they are dropped ({@code maxAgeHours}), the retry backoff bounds, and the exporters, several at once.
 */
public record ReportConfig(String outboxDir, int maxAgeHours, int retryMinMillis, int retryMaxMillis,
                           List<Exporter> exporters) {

  public ReportConfig {
    exporters = exporters == null ? null : List.copyOf(exporters);
  }

  /** One destination of activity records; {@code name} names its outbox directory and its metrics. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Expertflow.class, name = "expertflow"),
    @JsonSubTypes.Type(value = Jsonl.class, name = "jsonl"),
    @JsonSubTypes.Type(value = Webhook.class, name = "webhook")
  })
  public sealed interface Exporter {
    String name();
  }

  /**
   * Expertflow CX "IVR aggregated activity": POST {@code fqdn}/ccm/message/receive. {@code callVariables} maps a
   * CX call-variable key (e.g. callVariable1) to a flow variable or one of callingParty, calledParty, flow,
   * endReason.
   */
  public record Expertflow(String name, String fqdn, String serviceIdentifier, String senderId, String senderName,
                           Map<String, String> callVariables) implements Exporter {
  }

  /** One record per line appended to {@code path}; at {@code rotateBytes} it becomes path.1 (path.1 → path.2 …, {@code keep} kept). */
  public record Jsonl(String name, String path, long rotateBytes, int keep) implements Exporter {
  }

  /** The record as JSON, POSTed to {@code url} with {@code headers} (e.g. Authorization). */
  public record Webhook(String name, String url, Map<String, String> headers) implements Exporter {
  }

  /** Checks every value under {@code report.}; the first bad one throws naming its key. */
  public ReportConfig validate() {
    require(outboxDir != null && !outboxDir.isBlank(), "report.outboxDir", "a directory path");
    require(maxAgeHours >= 1 && maxAgeHours <= 24 * 365, "report.maxAgeHours", "1 to 8760");
    require(retryMinMillis >= 10 && retryMinMillis <= retryMaxMillis, "report.retryMinMillis",
        "10 or more, at most report.retryMaxMillis");
    require(retryMaxMillis <= 3_600_000, "report.retryMaxMillis", "at most 3600000 (an hour)");
    require(exporters != null, "report.exporters", "a list (empty: no export)");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < exporters.size(); i++) {
      Exporter exporter = exporters.get(i);
      String key = "report.exporters[" + i + "]";
      require(exporter != null && exporter.name() != null && exporter.name().matches("[a-z0-9][a-z0-9-]{0,39}"),
          key + ".name", "lower-case letters, digits and dashes, at most 40");
      require(names.add(exporter.name()), key + ".name", "a name no other exporter has");
      if (exporter instanceof Expertflow cx) {
        require(cx.fqdn() != null && cx.fqdn().matches("https?://[^/\\s]+(/[^\\s]*)?"), key + ".fqdn",
            "the CX base URL, e.g. https://cx.example.com");
        require(present(cx.serviceIdentifier()), key + ".serviceIdentifier", "the voice channel's service identifier");
        require(present(cx.senderId()) && present(cx.senderName()), key + ".senderId", "senderId and senderName set");
        require(cx.callVariables() != null, key + ".callVariables", "an object (may be empty)");
      } else if (exporter instanceof Jsonl jsonl) {
        require(present(jsonl.path()), key + ".path", "a file path");
        require(jsonl.rotateBytes() >= 1024, key + ".rotateBytes", "1024 or more");
        require(jsonl.keep() >= 1 && jsonl.keep() <= 1000, key + ".keep", "1 to 1000 rotated files");
      } else if (exporter instanceof Webhook webhook) {
        require(webhook.url() != null && webhook.url().matches("https?://\\S+"), key + ".url", "an http(s) URL");
        require(webhook.headers() != null, key + ".headers", "an object (may be empty)");
      }
    }
    return this;
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static void require(boolean ok, String key, String expected) {
    if (!ok) {
      throw new ConfigException(key, "expected " + expected);
    }
  }
}
