package io.callflow.cli;

import io.callflow.sim.Callee;
import io.callflow.sim.CallerScript;
import io.callflow.sim.LatencyStats;
import io.callflow.sim.LoadTest;
import io.callflow.sim.MediaserviceApi;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callflow loadtest}: simulated calls against a callflow URL, with a live progress line and a summary. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    footer = {"%nExample:", "  java -jar callflow.jar loadtest --target http://127.0.0.1:8080 --to +46850001000 --calls 1000 --rate 50"},
    description = "Simulate many concurrent calls against a callflow server and report callback latencies.")
public final class LoadTestCommand implements Callable<Integer> {

  @Option(names = "--target", description = "callflow base URL (default: ${DEFAULT-VALUE}).")
  String target = "http://127.0.0.1:8080";

  @Option(names = "--calls", description = "Calls to make (default: ${DEFAULT-VALUE}).")
  int calls = 1000;

  @Option(names = "--rate", description = "Open model: calls started per second, on schedule whatever the server does.")
  double rate;

  @Option(names = "--concurrency", description = "Closed model (when no --rate): calls in flight (default: ${DEFAULT-VALUE}).")
  int concurrency = 50;

  @Option(names = "--script", description = "Caller script, e.g. 'press 2; press 1' (default: '${DEFAULT-VALUE}').")
  String script = "press 3; press 123456#";

  @Option(names = "--random", description = "Random callers (seeded) instead of the script.")
  boolean random;

  @Option(names = "--compress", description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
  double compress = 1000;

  @Option(names = "--duration", description = "Stop starting calls after this many seconds (default: ${DEFAULT-VALUE}).")
  int duration = 120;

  @Option(names = "--from", description = "Calling party (default: ${DEFAULT-VALUE}).")
  String from = "+46701234567";

  @Option(names = "--to", description = "Called party (default: ${DEFAULT-VALUE}).")
  String to = "+46850001000";

  @Option(names = "--callee", description = "Callee behaviour for every forward (default: '${DEFAULT-VALUE}').")
  String callee = "answer after 1s talk 10s";

  @Option(names = "--connections", description = "HTTP connections to the target (default: ${DEFAULT-VALUE}).")
  int connections = 128;

  @Option(names = "--timeout", description = "Callback timeout in ms (default: ${DEFAULT-VALUE}).")
  long timeoutMillis = 5000;

  @Option(names = "--warmup", description = "Calls to run first, unmeasured, so the JIT has compiled both sides (default: ${DEFAULT-VALUE}).")
  int warmup = 0;

  @Option(names = "--authorization", description = "Authorization header for every callback, e.g. 'Bearer …' "
      + "or 'Basic …', matching the server's callbackAuth.")
  String authorization;

  @Option(names = "--api-port", description = "Also serve the mediaservice REST API on this loopback port, for the "
      + "server's outbound requests (0: not served).")
  int apiPort;

  @Option(names = "--api-token", description = "Bearer token the REST API accepts (default: any).")
  String apiToken;

  @Option(names = "--api-delay", description = "Milliseconds the REST API waits before it answers (default: ${DEFAULT-VALUE}).")
  long apiDelay;

  @Option(names = "--ivr-answered", description = "Report each caller's IVR connection with /callAnswered, which makes "
      + "it recordable.")
  boolean ivrAnswered;

  @Option(names = "--json", description = "Also write the report as JSON to this file.")
  Path json;

  @Option(names = "--allow-remote", description = "Allow a target that is not on this machine's loopback.")
  boolean allowRemote;

  @Option(names = "--quiet", description = "No live progress line.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    SimConfig.Target where = SimConfig.Target.of(target);
    if (!allowRemote && !isLoopback(where.host())) {
      System.err.println("loadtest: " + where.host() + " is not a loopback address; use --allow-remote to load it");
      return 2;
    }
    SimConfig config = SimConfig.target(target).withDomain("loadtest.iotcomms.io").withTimeout(timeoutMillis)
        .compressed(compress).withAuthorization(authorization).withCallee("*", Callee.parse(callee));
    if (ivrAnswered) {
      config = config.withIvrAnswered();
    }
    CallerScript.parse(script);
    AtomicLong seeds = new AtomicLong(42);

    Vertx vertx = Vertx.vertx();
    LatencyStats stats = new LatencyStats();
    AtomicBoolean measuring = new AtomicBoolean(warmup == 0);
    // One simulator for the warm-up and the measured calls, so the REST API it serves stays up between them.
    Simulator simulator = new Simulator(vertx, config, (callback, nanos, ok) -> {
      if (measuring.get()) {
        stats.answered(callback, nanos, ok);
      }
    }, connections);
    serveApi(simulator);
    if (warmup > 0) {
      // The same model and rate as the measured run, so the generator's own code paths are compiled too.
      new LoadTest(vertx, simulator, new LoadTest.Plan(warmup, rate, concurrency, duration, from, to,
          () -> CallerScript.parse(script))).run().await();
      measuring.set(true);
    }
    LoadTest test = new LoadTest(vertx, simulator,
        new LoadTest.Plan(calls, rate, concurrency, duration, from, to,
            () -> random ? CallerScript.random(seeds.incrementAndGet()) : CallerScript.parse(script)));
    long began = System.nanoTime();
    long[] lastAnswered = {0};
    long ticker = vertx.setPeriodic(1000, t -> {
      if (!quiet) {
        progressLine(test.progress(), stats, lastAnswered, System.out);
      }
    });
    LoadTest.Progress progress = test.run().await();
    double seconds = (System.nanoTime() - began) / 1e9;
    vertx.cancelTimer(ticker);
    simulator.close().await();
    JsonObject report = report(progress, stats, seconds);
    print(report, System.out);
    if (json != null) {
      Files.writeString(json, report.encodePrettily());
    }
    vertx.close().await();
    return progress.failed().get() == 0 ? 0 : 1;
  }

  private void serveApi(Simulator simulator) {
    if (apiPort > 0) {
      MediaserviceApi api = simulator.startApi(apiPort, apiToken == null ? MediaserviceApi.tokens()
          : MediaserviceApi.tokens(apiToken), MediaserviceApi.scripts(java.util.Map.of("*", script))).await();
      api.delayAnswers(apiDelay);
    }
  }

  private static void progressLine(LoadTest.Progress progress, LatencyStats stats, long[] lastAnswered, PrintStream out) {
    long answered = stats.answered();
    Histogram interval = stats.sinceLastInterval();
    out.printf("calls started %d completed %d failed %d | callbacks/s %d | p99 %.2f ms%n",
        progress.started().get(), progress.completed().get(), progress.failed().get(), answered - lastAnswered[0],
        interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1e6);
    lastAnswered[0] = answered;
  }

  static JsonObject report(LoadTest.Progress progress, LatencyStats stats, double seconds) {
    JsonArray callbacks = new JsonArray();
    Histogram all = new Histogram(60_000_000_000L, 3);
    stats.byCallback().forEach((name, histogram) -> {
      all.add(histogram);
      callbacks.add(row(name, histogram));
    });
    callbacks.add(row("ALL", all));
    return new JsonObject()
        .put("seconds", Math.round(seconds * 10) / 10.0)
        .put("calls", new JsonObject().put("started", progress.started().get())
            .put("completed", progress.completed().get()).put("failed", progress.failed().get()))
        .put("callbacks", all.getTotalCount())
        .put("callbacksPerSecond", Math.round(all.getTotalCount() / seconds))
        .put("callbackErrors", stats.failed())
        .put("latencyMs", callbacks)
        .put("outcomes", new JsonObject(Map.copyOf(progress.sorted(progress.outcomes()))))
        .put("failedCallsByReason", new JsonObject(Map.copyOf(progress.sorted(progress.failures()))));
  }

  private static JsonObject row(String name, Histogram h) {
    return new JsonObject().put("callback", name).put("count", h.getTotalCount())
        .put("p50", ms(h.getValueAtPercentile(50))).put("p90", ms(h.getValueAtPercentile(90)))
        .put("p99", ms(h.getValueAtPercentile(99))).put("p99.9", ms(h.getValueAtPercentile(99.9)))
        .put("max", ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  static void print(JsonObject report, PrintStream out) {
    JsonObject calls = report.getJsonObject("calls");
    out.printf("%ncalls: %d started, %d completed, %d failed in %.1f s%n", calls.getInteger("started"),
        calls.getInteger("completed"), calls.getInteger("failed"), report.getDouble("seconds"));
    out.printf("callbacks: %d (%d/s), %d not answered 200%n", report.getLong("callbacks"),
        report.getLong("callbacksPerSecond"), report.getLong("callbackErrors"));
    out.printf("%-18s %9s %9s %9s %9s %9s %9s%n", "callback (ms)", "count", "p50", "p90", "p99", "p99.9", "max");
    for (Object item : report.getJsonArray("latencyMs")) {
      JsonObject row = (JsonObject) item;
      out.printf("%-18s %9d %9.2f %9.2f %9.2f %9.2f %9.2f%n", row.getString("callback"), row.getLong("count"),
          row.getDouble("p50"), row.getDouble("p90"), row.getDouble("p99"), row.getDouble("p99.9"), row.getDouble("max"));
    }
    out.println("outcomes: " + report.getJsonObject("outcomes").encode());
    if (!report.getJsonObject("failedCallsByReason").isEmpty()) {
      out.println("failed calls by reason: " + report.getJsonObject("failedCallsByReason").encode());
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return List.of(InetAddress.getAllByName(host)).stream().allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
