package io.callflow.report;

import io.callflow.config.ReportConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to each ended call's record: the funnel metrics count it, and, when exporters are configured, the
 * outbox stores it durably and each exporter's delivery sends it until it is delivered or expires. Handing a record
 * in only queues it: the callback that ended the call never waits for a disk or a network.
 */
public final class Reporting implements ActivitySink {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.export");
  /** Outbox segments roll at this size; a delivered segment is deleted, so this is about what stays on disk. */
  static final long SEGMENT_BYTES = 1 << 20;

  private final ReportMetrics metrics;
  private final Outbox outbox;
  private final Map<String, Delivery> deliveries;
  private final List<Target> targets;
  private final WebClient client;
  private Future<Void> closed;

  private Reporting(ReportMetrics metrics, Outbox outbox, Map<String, Delivery> deliveries, List<Target> targets,
                    WebClient client) {
    this.metrics = metrics;
    this.outbox = outbox;
    this.deliveries = deliveries;
    this.targets = targets;
    this.client = client;
  }

  /** Opens the outbox (undelivered records from before a restart included) and starts delivering. */
  public static Future<Reporting> start(Vertx vertx, ReportConfig config, Clock clock, MeterRegistry registry) {
    if (config.exporters().isEmpty()) {
      return Future.succeededFuture(countingOnly(registry));
    }
    ReportMetrics metrics = new ReportMetrics(registry);
    List<String> names = config.exporters().stream().map(ReportConfig.Exporter::name).toList();
    Map<String, Outbox.Backlog> backlogs = new LinkedHashMap<>();
    return vertx.executeBlocking(() -> {
      Outbox outbox = Outbox.open(Path.of(config.outboxDir()), names, SEGMENT_BYTES, metrics);
      for (String name : names) {
        backlogs.put(name, outbox.backlog(name));
      }
      return outbox;
    }).map(outbox -> {
      WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000)
          .setUserAgent("callflow"));
      Context context = vertx.getOrCreateContext();
      Map<String, Delivery> deliveries = new LinkedHashMap<>();
      List<Target> targets = new java.util.ArrayList<>();
      for (ReportConfig.Exporter exporter : config.exporters()) {
        Target target = target(vertx, client, exporter);
        targets.add(target);
        Outbox.Backlog backlog = backlogs.get(exporter.name());
        deliveries.put(exporter.name(), new Delivery(exporter.name(), target, outbox, context, clock,
            Duration.ofHours(config.maxAgeHours()), Duration.ofMillis(config.retryMinMillis()),
            Duration.ofMillis(config.retryMaxMillis()), metrics, backlog));
        LOG.info("export.opened exporter={} backlog={} outbox={}", exporter.name(), backlog.count(),
            Path.of(config.outboxDir(), exporter.name()).toAbsolutePath());
      }
      outbox.start((name, end, entries) -> deliveries.get(name).appended(end, entries));
      deliveries.values().forEach(Delivery::start);
      return new Reporting(metrics, outbox, deliveries, targets, client);
    });
  }

  /** Reporting without exporters: each record is only counted in {@code registry}'s funnel metrics. */
  public static Reporting countingOnly(MeterRegistry registry) {
    return new Reporting(new ReportMetrics(registry), null, Map.of(), List.of(), null);
  }

  private static Target target(Vertx vertx, WebClient client, ReportConfig.Exporter exporter) {
    if (exporter instanceof ReportConfig.Expertflow cx) {
      return HttpTarget.expertflow(client, cx);
    }
    if (exporter instanceof ReportConfig.Webhook webhook) {
      return HttpTarget.webhook(client, webhook);
    }
    return new JsonlTarget(vertx, (ReportConfig.Jsonl) exporter);
  }

  @Override
  public void ended(ActivityRecord record) {
    keep(record);
  }

  @Override
  public Future<Void> keep(ActivityRecord record) {
    metrics.counted(record);
    if (outbox == null) {
      return Future.succeededFuture();
    }
    java.util.concurrent.CompletableFuture<Void> synced = new java.util.concurrent.CompletableFuture<>();
    if (!outbox.submit(record, synced)) {
      LOG.error("export.dropped callId={} flow={} cause=outbox closed or {} records waiting for the disk",
          record.callId(), record.flow(), Outbox.MAX_QUEUED);
      deliveries.keySet().forEach(name -> metrics.failed(name, "dropped"));
      return Future.failedFuture("outbox closed or full");
    }
    Context context = Vertx.currentContext();
    Future<Void> kept = Future.fromCompletionStage(synced);
    return context == null ? kept : Future.fromCompletionStage(synced, context);
  }

  /**
   * Shutdown: refuses new records, waits until every record handed in is on disk, gives the deliveries up to
   * {@code bound} to send what they can (no new retries) and to end the batches in flight, then closes the outbox.
   * Whatever is not delivered is sent after the next start.
   */
  public synchronized Future<Void> close(Duration bound) {
    if (closed != null) {
      return closed;
    }
    if (outbox == null) {
      closed = Future.succeededFuture();
      return closed;
    }
    closed = Future.fromCompletionStage(outbox.flush())
        .compose(flushed -> Future.join(deliveries.values().stream().map(d -> d.drain(bound)).toList()))
        .compose(drained -> Future.fromCompletionStage(outbox.close()))
        .onComplete(closed -> {
          targets.forEach(Target::close);
          client.close();
        })
        .mapEmpty();
    return closed;
  }
}
