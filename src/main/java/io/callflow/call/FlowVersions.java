package io.callflow.call;

import io.callflow.flow.Flow;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowRegistry;
import io.callflow.session.FlowSourceStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow version each call is pinned to. One instance has loaded every version its calls started on. With
 * shared sessions a call may have started on another instance, on a version this one never loaded or has replaced
 * since: {@link #pinned} then says it is {@link Missing}, and {@link #fetch} brings that exact version from the
 * shared store, parses it off the event loop, and keeps it in the registry for the call's next callbacks.
 */
public final class FlowVersions {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.flows");

  /** The call's flow version is not loaded here; {@link #fetch} may bring it. */
  static final class Missing extends RuntimeException {
    final String flowId;
    final String version;

    Missing(String flowId, String version) {
      super("flow " + flowId + " version " + version + " is not loaded here", null, false, false);
      this.flowId = flowId;
      this.version = version;
    }
  }

  private final FlowRegistry registry;
  private final FlowSourceStore shared;
  private final FlowParser parser = new FlowParser();
  private final Map<String, Future<Flow>> fetching = new ConcurrentHashMap<>();

  public FlowVersions(FlowRegistry registry, FlowSourceStore shared) {
    this.registry = registry;
    this.shared = shared;
  }

  /** Only what this instance loaded: an unknown version falls back to the flow's current one. */
  static FlowVersions local(FlowRegistry registry) {
    return new FlowVersions(registry, FlowSourceStore.NONE);
  }

  /** The exact version, or (alone) the current one if that is unknown; throws {@link Missing} if it can be fetched. */
  Flow pinned(String flowId, String version) {
    if (!shared.shared()) {
      return registry.pinned(flowId, version)
          .orElseThrow(() -> new IllegalStateException("flow " + flowId + " is not loaded"));
    }
    return registry.exact(flowId, version).orElseThrow(() -> new Missing(flowId, version));
  }

  /** Brings the missing version from the shared store; one fetch per version however many callbacks wait. */
  Future<Flow> fetch(Missing missing) {
    String key = missing.flowId + "@" + missing.version;
    Promise<Flow> promise = Promise.promise();
    Future<Flow> running = fetching.putIfAbsent(key, promise.future());
    if (running != null) {
      return running;
    }
    shared.load(missing.flowId, missing.version)
        .compose(source -> source == null
            ? Future.failedFuture(new IllegalStateException("flow " + key + " is neither loaded here nor shared"))
            : parsed(missing, source))
        .onComplete(done -> {
          fetching.remove(key, promise.future());
          promise.handle(done);
        });
    return promise.future();
  }

  private Future<Flow> parsed(Missing missing, byte[] source) {
    Context context = Vertx.currentContext();
    if (context != null) {
      return context.executeBlocking(() -> install(missing, source));
    }
    try {
      return Future.succeededFuture(install(missing, source));
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private Flow install(Missing missing, byte[] source) throws Exception {
    Flow flow = parser.parse(missing.flowId + "@" + missing.version, source);
    // The version is the content hash: what came back is exactly what the other instance loaded.
    if (!flow.version().equals(missing.version)) {
      throw new IllegalStateException("shared flow " + missing.flowId + "@" + missing.version + " hashes to "
          + flow.version());
    }
    registry.remember(flow, Instant.now());
    LOG.info("flow.fetched flow={} version={} (for calls that started on another instance)", flow.id(), flow.version());
    return flow;
  }
}
