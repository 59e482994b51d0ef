package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.callflow.config.ReportConfig;
import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/observability against a real Prometheus (Debian's package): promtool checks and unit-tests the alert rules,
 * then a Prometheus on a free loopback port scrapes a callflow under a short load of scripted calls, and every
 * Grafana dashboard query and every alert expression must return data from it.
 */
@ExtendWith(VertxExtension.class)
class PrometheusIT {

  private static final Path OBSERVABILITY = Path.of("config/observability").toAbsolutePath();
  /** A comparison between spaces (label matchers in alerts.yml have none around theirs). */
  private static final Pattern COMPARISON = Pattern.compile(" (>=|<=|==|!=|>|<) ");

  @TempDir
  Path dir;
  private Process prometheus;
  private Server server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("promtool passes the rules and their unit tests; every dashboard query and alert expression has data")
  void dashboardAndAlertsOnRealData(Vertx vertx) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")) || System.getenv("CI") != null,
        "Debian's prometheus package is not installed (.ci/run installs it)");
    long began = System.nanoTime();
    assertEquals("", promtool("check", "rules", "alerts.yml"));
    assertEquals("", promtool("test", "rules", "alerts.test.yml"));

    server = Server.start(vertx, config(), new MutableClock(MONDAY_10)).await();
    int port = freePort();
    prometheus = startPrometheus(port, server.adminPort());
    eventually("Prometheus is ready", Duration.ofSeconds(30), () -> get(port, "/-/ready").startsWith("Prometheus"));

    // Ever-present in a process that has run for minutes, but a fresh test JVM may not have collected yet.
    System.gc();
    load(vertx, server.port());
    eventually("ten scrapes of the loaded server", Duration.ofSeconds(30),
        () -> !query(port, "count_over_time(callflow_calls_ended_total{job=\"callflow\"}[1m]) >= 10").isEmpty());
    eventually("every rule evaluated at least once", Duration.ofSeconds(30), () -> rules(port).stream()
        .allMatch(rule -> rule.getString("lastEvaluation", "").compareTo("2000") > 0));

    List<String> empty = new ArrayList<>();
    List<String> dashboard = dashboardQueries();
    for (String expr : dashboard) {
      if (query(port, expr).isEmpty()) {
        empty.add("dashboard: " + expr);
      }
    }
    List<String> alerts = alertExpressions();
    for (String expr : alerts) {
      if (query(port, withBool(expr)).isEmpty()) {
        empty.add("alert: " + withBool(expr));
      }
    }
    assertTrue(dashboard.size() > 30, "dashboard queries found: " + dashboard.size());
    assertEquals(6, alerts.size(), "alert expressions found");
    assertEquals(List.of(), empty, "queries that return no data");
    for (JsonObject rule : rules(port)) {
      assertEquals("ok", rule.getString("health"), rule.encodePrettily());
    }
    System.out.printf("PrometheusIT: %d dashboard queries and %d alert expressions checked in %d ms%n",
        dashboard.size(), alerts.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  @BeforeAll
  static void warm() {
    ColdStart.warmNetty();
  }

  /** The test flows, a jsonl exporter, and a webhook exporter whose receiver is gone (so a backlog builds). */
  private AppConfig config() throws IOException {
    int nobody = freePort();
    return TestConfig.withReport(TestConfig.create("src/test/resources/flows", null),
        new ReportConfig(dir.resolve("outbox").toString(), 1, 50, 200, List.of(
            new ReportConfig.Jsonl("file", dir.resolve("records.jsonl").toString(), 1 << 20, 2),
            new ReportConfig.Webhook("crm", "http://127.0.0.1:" + nobody + "/records", java.util.Map.of()))));
  }

  /** Calls that walk the test flow's paths: a transfer, no input and invalid answers, a failsafe, a hang-up. */
  private static void load(Vertx vertx, int port) {
    Simulator simulator = new Simulator(vertx, SimConfig.local(port).compressed(200)
        .withCallee("sip:internet@pbx.test", new Callee.Answer(100, 200)));
    List<String> scripts = List.of("press 2; press 1", "silent; press 9; press 3; press 7654321#",
        "silent; silent; silent", "hangup", "press 9; press 9; press 9");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    while (System.nanoTime() < until) {
      Future.all(scripts.stream().map(script -> simulator.inbound("+46701234567", "+46800000001",
          CallerScript.parse(script))).toList()).await();
    }
    simulator.close().await();
  }

  private Process startPrometheus(int port, int target) throws IOException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: callflow
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(OBSERVABILITY.resolve("alerts.yml"), target));
    return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  /** promtool's complaints: empty when the command succeeds. */
  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(OBSERVABILITY.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " finished");
    return process.exitValue() == 0 ? "" : output;
  }

  /** Every query of the dashboard, with Grafana's variables set as a user would: all instances, one flow. */
  private static List<String> dashboardQueries() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(OBSERVABILITY.resolve("grafana-dashboard.json")));
    List<String> queries = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      for (Object target : targets) {
        queries.add(((JsonObject) target).getString("expr").replace("$__rate_interval", "30s")
            .replace("$__range", "5m").replace("$instance", ".*").replace("$flow", "test-line"));
      }
    }
    return queries;
  }

  private static List<String> alertExpressions() throws IOException {
    Matcher expr = Pattern.compile("(?m)^\\s+expr: (.+)$").matcher(Files.readString(OBSERVABILITY.resolve("alerts.yml")));
    List<String> expressions = new ArrayList<>();
    while (expr.find()) {
      expressions.add(expr.group(1));
    }
    return expressions;
  }

  /** The expression with each comparison a {@code bool} one: every series it looks at answers, 0 or 1. */
  static String withBool(String expr) {
    return COMPARISON.matcher(expr).replaceAll(" $1 bool ");
  }

  private List<JsonObject> rules(int port) throws Exception {
    List<JsonObject> rules = new ArrayList<>();
    JsonObject answer = new JsonObject(get(port, "/api/v1/rules"));
    for (Object group : answer.getJsonObject("data").getJsonArray("groups")) {
      ((JsonObject) group).getJsonArray("rules").forEach(rule -> rules.add((JsonObject) rule));
    }
    return rules;
  }

  private JsonArray query(int port, String promql) throws Exception {
    JsonObject answer = new JsonObject(get(port, "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    assertEquals("success", answer.getString("status"), promql + ": " + answer.encode());
    return answer.getJsonObject("data").getJsonArray("result");
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private void eventually(String what, Duration within, Check check) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException notYet) {
        // Prometheus is still starting.
      }
      if (System.nanoTime() > deadline) {
        String log = Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "";
        throw new AssertionError("not within " + within + ": " + what + "\n" + log);
      }
      Thread.sleep(200);
    }
  }
}
