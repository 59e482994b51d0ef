package io.callflow.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plays the iotcomms mediaservice against a callflow server: starts simulated calls (each a small state machine on
 * one event loop, no thread of its own), keeps the live ones so that its REST API can act on them, and records
 * callback latencies per callback type.
 */
public final class Simulator {

  private final Vertx vertx;
  private final SimConfig config;
  private final WebClient client;
  private final LatencyStats latencies;
  private final CallbackClient callbacks;
  private final Map<String, SimulatedCall> live = new ConcurrentHashMap<>();
  private final List<Context> contexts = new ArrayList<>();
  private final AtomicInteger nextContext = new AtomicInteger();
  private final List<String> deployments = new ArrayList<>();

  public Simulator(Vertx vertx, SimConfig config) {
    this(vertx, config, CallbackListener.NONE, 64);
  }

  /**
   * Construct it outside an event loop, so its calls can be spread over every event loop.
   *
   * @param listener    told every callback's latency as well (a {@link LatencyStats} given here is the one used)
   * @param connections the most HTTP connections to callflow
   */
  public Simulator(Vertx vertx, SimConfig config, CallbackListener listener, int connections) {
    this.vertx = vertx;
    this.config = config;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
    this.latencies = listener instanceof LatencyStats stats ? stats : new LatencyStats();
    CallbackListener both = listener == latencies || listener == CallbackListener.NONE ? latencies
        : (callback, nanos, ok) -> {
          latencies.answered(callback, nanos, ok);
          listener.answered(callback, nanos, ok);
        };
    this.callbacks = new CallbackClient(vertx, client, config, both);
    // Created from outside Vert.x, each context lands on the next event loop: calls spread over all of them.
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      contexts.add(vertx.getOrCreateContext());
    }
  }

  public SimConfig config() {
    return config;
  }

  /** An inbound call from {@code from} to {@code to} whose caller follows {@code script}; ends with its transcript. */
  public Future<Transcript> inbound(String from, String to, CallerScript script) {
    return inbound(from, to, script, System.nanoTime());
  }

  /** As {@link #inbound(String, String, CallerScript)} with the script given as text, e.g. {@code "press 1; hangup"}. */
  public Future<Transcript> inbound(String from, String to, String script) {
    return inbound(from, to, CallerScript.parse(script));
  }

  /** As {@link #inbound(String, String, CallerScript)}, measured from {@code dueNanos}, when it was meant to start. */
  public Future<Transcript> inbound(String from, String to, CallerScript script, long dueNanos) {
    return onOwnContext(script, call -> call.inbound(from, to, dueNanos));
  }

  /** A call placed with placeivrcall: the callee at {@code destination} talks to the IVR following {@code script}. */
  Future<Transcript> outbound(String destination, String sipFrom, double maxRingTime, Object reference,
                              CallerScript script) {
    return onOwnContext(script, call -> call.outbound(destination, sipFrom, maxRingTime, reference));
  }

  /**
   * Serves the mediaservice REST API on {@code port} (0: any free one) of the loopback interface.
   *
   * @param tokenOk         decides whether a bearer token is accepted, e.g. {@link MediaserviceApi#tokens}
   * @param outboundScripts the script the callee of a placed call follows, by destination
   */
  public Future<MediaserviceApi> startApi(int port, Predicate<String> tokenOk,
                                          Function<String, CallerScript> outboundScripts) {
    MediaserviceApi api = new MediaserviceApi(this, port, tokenOk, outboundScripts);
    return vertx.deployVerticle(api).map(id -> {
      synchronized (deployments) {
        deployments.add(id);
      }
      return api;
    });
  }

  /** Callback latencies so far (send to answer), per callback type. */
  public LatencyStats latencies() {
    return latencies;
  }

  /** The mediaservice sessionIds of the calls running now. */
  public Set<String> liveSessionIds() {
    return Set.copyOf(live.keySet());
  }

  public int liveCalls() {
    return live.size();
  }

  /** Stops its HTTP client and any REST API it serves; calls still running fail their callbacks. */
  public Future<Void> close() {
    List<Future<Void>> stopped = new ArrayList<>();
    synchronized (deployments) {
      deployments.forEach(id -> stopped.add(vertx.undeploy(id)));
      deployments.clear();
    }
    client.close();
    return Future.join(stopped).mapEmpty();
  }

  SimulatedCall find(String sessionId) {
    return sessionId == null ? null : live.get(sessionId);
  }

  SimulatedCall findByConnection(String connectionId) {
    if (connectionId == null) {
      return null;
    }
    return live.values().stream().filter(c -> c.connection(connectionId) != null).findFirst().orElse(null);
  }

  /** Runs each call on one event-loop context (round robin), so its steps never race. */
  private Future<Transcript> onOwnContext(CallerScript script, Function<SimulatedCall, Future<Transcript>> start) {
    Promise<Transcript> result = Promise.promise();
    Context context = contexts.get(Math.floorMod(nextContext.getAndIncrement(), contexts.size()));
    context.runOnContext(v -> {
      SimulatedCall call = new SimulatedCall(vertx, callbacks, config, script);
      live.put(call.sessionId, call);
      start.apply(call).onComplete(done -> {
        live.remove(call.sessionId);
        result.handle(done);
      });
    });
    return result.future();
  }
}
