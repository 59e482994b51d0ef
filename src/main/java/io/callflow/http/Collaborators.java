package io.callflow.http;

import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.call.EffectRunner;
import io.callflow.call.FlowHistory;
import io.callflow.call.FlowVersions;
import io.callflow.call.FlowWatcher;
import io.callflow.call.HttpStateClient;
import io.callflow.call.NotificationJournal;
import io.callflow.call.OutboundCalls;
import io.callflow.config.AppConfig;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.FlowValidator;
import io.callflow.mediaservice.Answers;
import io.callflow.mediaservice.ApiToken;
import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.report.Reporting;
import io.callflow.session.SessionStore;
import io.callflow.session.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a running callflow is made of, built once from its configuration in {@link #assemble}, top to bottom:
 * each part from the parts above it. The route table and the server read their parts from here.
 *
 * @param refused  callbacks refused by callback authentication since start
 * @param stopping set when a graceful shutdown begins: /ready answers 503 and answers close their connection
 * @param history  drafts and published versions of the flows (the studio's, and the admin API's)
 * @param logins   the studio's logins, shared by every event loop and both listeners
 * @param warming  set while the instance warms up ({@link WarmUp}): /ready answers 503
 */
record Collaborators(AppConfig config, Clock clock, FlowRegistry flows, CallMetrics metrics, SessionStore store,
                     FlowWatcher watcher, KeyFiles keys, Reporting reporting, MediaserviceClient mediaservice,
                     HttpStateClient http, CallDriver driver, OutboundCalls outbound, EffectRunner runner,
                     NotificationJournal journal, AtomicLong refused, AtomicBoolean stopping, FlowHistory history,
                     StudioLogins logins, AtomicBoolean warming) {

  private static final Logger LOG = LoggerFactory.getLogger("callflow");

  static Future<Collaborators> assemble(Vertx vertx, AppConfig config, Clock clock) {
    FlowRegistry flows = new FlowRegistry(config.flows().defaultFlow());
    // -Dcallflow.metrics=off: only for measuring what metrics cost on the callback path (bench/run.sh).
    CallMetrics metrics = "off".equals(System.getProperty("callflow.metrics")) ? CallMetrics.off()
        : CallMetrics.prometheus();
    Stores stores = Stores.open(vertx, config.session());
    FlowWatcher watcher = new FlowWatcher(Path.of(config.flows().dir()), flows, metrics, stores.flowSources(),
        new FlowValidator(config.outbound().sipDomain()));
    // Before the first scan, so that the flows found at start are in the history too.
    FlowHistory history = new FlowHistory(FlowHistory.beside(Path.of(config.flows().dir())), watcher, flows);
    return vertx.executeBlocking(() -> {
          KeyFiles keys = KeyFiles.read(config);
          watcher.scan();
          if (config.flows().defaultFlow() != null && flows.current(config.flows().defaultFlow()).isEmpty()) {
            LOG.warn("flow.missing defaultFlow={} is not loaded; numbers no flow claims are refused",
                config.flows().defaultFlow());
          }
          return keys;
        })
        .compose(keys -> Reporting.start(vertx, config.report(), clock, metrics.registry())
            // The rest loads most of callflow's classes (hundreds of milliseconds on a cold JVM): on a worker.
            .compose(reporting -> vertx.executeBlocking(() -> {
              MediaserviceClient mediaservice = new MediaserviceClient(vertx, config.mediaservice(),
                  ApiToken.of(vertx, config.mediaservice(), keys.apiPrivateKey(), clock), metrics::api);
              HttpStateClient http = new HttpStateClient(vertx, config.http());
              EffectRunner runner = new EffectRunner(vertx, mediaservice, http, clock);
              CallDriver driver = new CallDriver(new FlowVersions(flows, stores.flowSources()), stores.sessions(),
                  new Answers(config.tts(), config.outbound().sipDomain()), config.failsafe().message(), clock,
                  Duration.ofMillis(config.server().callbackDeadlineMillis()), metrics, runner, reporting);
              OutboundCalls outbound = new OutboundCalls(driver, runner, config.outbound(), clock, metrics);
              // Sessions in Redis: notifications that arrive while it is away are kept on local disk until it is back.
              NotificationJournal journal = stores.sessions().takesOver()
                  ? NotificationJournal.open(vertx, Path.of(config.report().outboxDir(), "_notifications")) : null;
              if (journal != null) {
                driver.keepNotificationsIn(journal);
              }
              return new Collaborators(config, clock, flows, metrics, stores.sessions(), watcher, keys, reporting,
                  mediaservice, http, driver, outbound, runner, journal, new AtomicLong(), new AtomicBoolean(),
                  history, new StudioLogins(), new AtomicBoolean(config.server().warmupSeconds() > 0));
            }, false)));
  }
}
