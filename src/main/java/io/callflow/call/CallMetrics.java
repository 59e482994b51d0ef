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
  /** Counters by name and tag values, so counting a step does not build and look up a meter id each time. */
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

  private record CounterKey(String name, String first, String second, String third) {
  }

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
    counters.computeIfAbsent(new CounterKey("callflow.states.entered", flow, version, state), key -> registry.counter(
        key.name(), "flow", key.first(), "version", key.second(), "state", key.third())).increment();
  }

  /** {@code reason} like "callerHangup:menu" is counted as reason callerHangup with state menu. */
  public void ended(String flow, String reason) {
    counters.computeIfAbsent(new CounterKey("callflow.calls.ended", flow, reason, null), key -> {
      String kind = reason == null ? "unknown" : reason.split(":", 2)[0];
      String state = reason != null && reason.contains(":") ? reason.split(":", 2)[1] : "";
      return registry.counter(key.name(), "flow", flow, "reason", kind, "state", state);
    }).increment();
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
    return counters.computeIfAbsent(new CounterKey(name, tag, value, null),
        key -> registry.counter(name, tag, value == null ? "" : value));
  }
}
