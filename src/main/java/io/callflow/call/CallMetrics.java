package io.callflow.call;

import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.report.ReportMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * callflow's meters, scraped at GET /metrics in Prometheus format: callbacks by type and status with latency
 * histograms, calls started and ended by reason, the per-flow, per-version, per-state funnel, failsafes, session
 * store latency and failures, mediaservice requests and its circuit breaker, flow reloads, the build, and the JVM
 * and process. Tags are bounded: flow ids, versions, state ids and a short reason. Series an alert watches exist
 * from start at zero, so that a rate over them is 0 rather than absent before the first event.
 */
public final class CallMetrics implements AutoCloseable {

  private final MeterRegistry registry;
  /** Timers by "callback status", so answering a callback does not build a meter id each time. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Timer> apiTimers = new ConcurrentHashMap<>();
  /** Counters by name and tag values, so counting a step does not build and look up a meter id each time. */
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  /** Holds GC notification listeners: closed with the server, so tests that start many servers do not pile them up. */
  private final JvmGcMetrics gc;
  /** Each store operation's timers, [ok, error]: looked up by the operation's name alone, once per callback. */
  private final Map<String, Timer[]> storeTimers = new ConcurrentHashMap<>();

  private record CounterKey(String name, String first, String second, String third) {
  }

  private CallMetrics(MeterRegistry registry, boolean jvm) {
    this.registry = registry;
    this.gc = jvm ? new JvmGcMetrics() : null;
    if (jvm) {
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new JvmInfoMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
    }
    Gauge.builder("callflow.build.info", () -> 1).description("the running build: 1, with its version as labels")
        .tag("version", BUILD_VERSION).tag("java", System.getProperty("java.version", "unknown"))
        .register(registry);
    Counter.builder("callflow.store.failures").description("callbacks the session store failed or did not answer "
        + "in time").register(registry);
    for (String operation : MediaserviceClient.OPERATIONS) {
      apiTimer(operation, "ok");
      apiTimer(operation, MediaserviceClient.CIRCUIT_OPEN);
    }
    store("update");
  }

  public static CallMetrics prometheus() {
    return new CallMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
  }

  /** No meters at all (every meter a no-op): for measuring what metrics cost (bench/run.sh). */
  public static CallMetrics off() {
    return new CallMetrics(new CompositeMeterRegistry(), false);
  }

  /** Meters that count but are never scraped (tools that run the driver outside a server). */
  public static CallMetrics none() {
    return new CallMetrics(new SimpleMeterRegistry(), false);
  }

  /** A handler that times the rest of the route for {@code callback}, tagged with the status answered. */
  public Handler<RoutingContext> timer(String callback) {
    Timer answered = callbackTimer(callback, 200);
    return ctx -> {
      long began = System.nanoTime();
      ctx.addEndHandler(done -> {
        int status = ctx.response().getStatusCode();
        (status == 200 ? answered : callbackTimer(callback, status)).record(System.nanoTime() - began,
            TimeUnit.NANOSECONDS);
      });
      ctx.next();
    };
  }

  private Timer callbackTimer(String callback, int status) {
    return timers.computeIfAbsent(callback + " " + status, key -> Timer.builder("callflow.callbacks")
        .description("callbacks answered, by callback and HTTP status").tag("callback", callback)
        .tag("status", String.valueOf(status))
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry));
  }

  void started(String flow) {
    counter("callflow.calls.started", "calls started", "flow", flow).increment();
  }

  void entered(String flow, String version, String state) {
    counters.computeIfAbsent(new CounterKey("callflow.states.entered", flow, version, state), key -> Counter
        .builder(key.name()).description("entries into a state (the funnel), as they happen")
        .tags("flow", key.first(), "version", key.second(), "state", key.third()).register(registry)).increment();
  }

  /**
   * A call ended for {@code reason} (the engine's, e.g. "callerHangup:menu" or "forward:busy") while at state
   * {@code at}: counted by the reason's label and its state (see {@link ReportMetrics#reasonLabel}).
   */
  public void ended(String flow, String reason, String at) {
    counters.computeIfAbsent(new CounterKey("callflow.calls.ended", flow, reason, at), key -> {
      String state = ReportMetrics.endState(reason, at);
      return Counter.builder(key.name()).description("calls ended, by how (reason) and the state they ended in")
          .tags("flow", nonNull(flow), "reason", ReportMetrics.reasonLabel(reason, state), "state", state)
          .register(registry);
    }).increment();
  }

  /** A callback that named no call callflow knows (mediaservice-protocol.md: answered, never refused). */
  void unmatched(String kind) {
    counter("callflow.callbacks.unmatched", "callbacks that named no call callflow knows (answered, not refused)",
        "kind", kind).increment();
  }

  void failsafe(String flow) {
    counter("callflow.failsafe", "failsafes taken: the flow could not go on and the caller got its failsafe",
        "flow", flow).increment();
  }

  /** A flow was installed: counted as a reload, and its calls and failsafe series start at zero. */
  void loaded(String flow) {
    reload(true);
    counter("callflow.calls.started", "calls started", "flow", flow);
    counter("callflow.failsafe", "failsafes taken: the flow could not go on and the caller got its failsafe",
        "flow", flow);
  }

  /** One mediaservice REST request: its operation, "ok" or why not, and how long it took (retries apart). */
  public void api(String operation, String outcome, long nanos) {
    apiTimer(operation, outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer apiTimer(String operation, String outcome) {
    return apiTimers.computeIfAbsent(operation + " " + outcome, key -> Timer.builder("callflow.mediaservice.requests")
        .description("mediaservice REST requests (each attempt), by operation and outcome: ok, the HTTP status, "
            + "noAnswer or circuitOpen")
        .tag("operation", operation).tag("outcome", outcome)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry));
  }

  /** Whether the mediaservice circuit breaker is open (1) or not (0), read at scrape time. */
  public void breaker(Supplier<Boolean> open) {
    Gauge.builder("callflow.mediaservice.breaker.open", () -> open.get() ? 1 : 0)
        .description("1 while the mediaservice circuit breaker is open (requests fail at once), else 0")
        .register(registry);
  }

  /** An entry another instance left unfinished, taken over: its operation and its state (see Takeover). */
  void takeover(String operation, String state) {
    registry.counter("callflow.effects.takenover", "operation", operation, "state", state).increment();
  }

  public void storeFailed() {
    registry.counter("callflow.store.failures").increment();
  }

  /** Times one session-store operation ({@code update}, {@code reap}), tagged with whether it succeeded. */
  public void store(String operation, long nanos, boolean ok) {
    store(operation)[ok ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Both timers of a store operation, registered together so that /metrics shows each from the start. */
  private Timer[] store(String operation) {
    return storeTimers.computeIfAbsent(operation, op -> new Timer[] {storeTimer(op, true), storeTimer(op, false)});
  }

  private Timer storeTimer(String operation, boolean ok) {
    return Timer.builder("callflow.store")
        .description("session store operations, by operation (update, reap) and outcome")
        .tag("operation", operation).tag("outcome", ok ? "ok" : "error")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
  }

  /** The registry itself, for meters other packages add (report/). */
  public MeterRegistry registry() {
    return registry;
  }

  void reload(boolean accepted) {
    counter("callflow.flow.reloads", "flow files loaded (accepted) or refused (rejected)", "outcome",
        accepted ? "accepted" : "rejected").increment();
  }

  /** A value read at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /**
   * A count kept elsewhere ({@code count} only grows), read at scrape time and published as a counter. The counter
   * holds what it reads weakly, so it is given the long-lived count itself, never a lambda nothing else keeps.
   */
  public void counted(String name, String description, AtomicLong count) {
    FunctionCounter.builder(name, count, AtomicLong::doubleValue).description(description).register(registry);
  }

  /** The Prometheus text, or an empty page when these meters are not Prometheus ones. */
  String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }

  /** GET /metrics: the text is built on a worker, as its cost grows with the series (flows × versions × states). */
  public void serve(RoutingContext ctx) {
    ctx.vertx().executeBlocking(this::scrape, false).onComplete(scraped -> {
      if (scraped.failed()) {
        ctx.fail(scraped.cause());
      } else {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(scraped.result());
      }
    });
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(new CounterKey(name, tag, value, null),
        key -> Counter.builder(name).description(description).tag(tag, nonNull(value)).register(registry));
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  /** The project version the build wrote into callflow-build.properties, "unknown" outside a Maven build. */
  private static final String BUILD_VERSION = buildVersion();

  private static String buildVersion() {
    try (InputStream in = CallMetrics.class.getResourceAsStream("/callflow-build.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
