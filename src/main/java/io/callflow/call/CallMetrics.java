package io.callflow.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * callflow's meters, scraped at GET /metrics in Prometheus format: callbacks by type and status with latency
 * histograms, calls started and ended by reason, the per-flow, per-version, per-state funnel, failsafes, session
 * store failures, flow reloads. Tags are bounded: flow ids, versions, state ids and a short reason.
 */
public final class CallMetrics {

  private final MeterRegistry registry;
  /** Timers by "callback status", so answering a callback does not build a meter id each time. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Timer> apiTimers = new ConcurrentHashMap<>();

  private CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static CallMetrics prometheus() {
    return new CallMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** No meters at all (every meter a no-op): for measuring what metrics cost (bench/run.sh). */
  public static CallMetrics off() {
    return new CallMetrics(new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
  }

  /** Meters that count but are never scraped (tools that run the driver outside a server). */
  public static CallMetrics none() {
    return new CallMetrics(new SimpleMeterRegistry());
  }

  /** A handler that times the rest of the route for {@code callback}, tagged with the status answered. */
  public Handler<RoutingContext> timer(String callback) {
    return ctx -> {
      long began = System.nanoTime();
      ctx.addEndHandler(done -> callbackTimer(callback, ctx.response().getStatusCode())
          .record(System.nanoTime() - began, TimeUnit.NANOSECONDS));
      ctx.next();
    };
  }

  private Timer callbackTimer(String callback, int status) {
    return timers.computeIfAbsent(callback + " " + status, key -> Timer.builder("callflow.callbacks")
        .description("callbacks answered").tag("callback", callback).tag("status", String.valueOf(status))
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry));
  }

  void started(String flow) {
    counter("callflow.calls.started", "flow", flow).increment();
  }

  void entered(String flow, String version, String state) {
    registry.counter("callflow.states.entered", "flow", flow, "version", version, "state", state).increment();
  }

  /** {@code reason} like "callerHangup:menu" is counted as reason callerHangup with state menu. */
  public void ended(String flow, String reason) {
    String kind = reason == null ? "unknown" : reason.split(":", 2)[0];
    String state = reason != null && reason.contains(":") ? reason.split(":", 2)[1] : "";
    registry.counter("callflow.calls.ended", "flow", flow, "reason", kind, "state", state).increment();
  }

  void failsafe(String flow) {
    counter("callflow.failsafe", "flow", flow).increment();
  }

  /** One mediaservice REST request: its operation, "ok" or why not, and how long it took (retries apart). */
  public void api(String operation, String outcome, long nanos) {
    apiTimers.computeIfAbsent(operation + " " + outcome, key -> Timer.builder("callflow.mediaservice.requests")
        .description("mediaservice REST requests").tag("operation", operation).tag("outcome", outcome)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
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
    timers.computeIfAbsent("store " + operation + " " + ok, key -> Timer.builder("callflow.store")
        .description("session store operations").tag("operation", operation).tag("outcome", ok ? "ok" : "error")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The registry itself, for meters other packages add (report/). */
  public MeterRegistry registry() {
  return registry;
  }

  void reload(boolean accepted) {
    counter("callflow.flow.reloads", "outcome", accepted ? "accepted" : "rejected").increment();
  }

  /** Counts what {@code count} reports, read at scrape time. */
  public void gauge(String name, Supplier<Number> count) {
    io.micrometer.core.instrument.Gauge.builder(name, count).register(registry);
  }

  /** The Prometheus text, or an empty page when these meters are not Prometheus ones. */
  String scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape() : "";
  }

  public void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(scrape());
  }

  private Counter counter(String name, String tag, String value) {
    return registry.counter(name, tag, value == null ? "" : value);
  }
}
