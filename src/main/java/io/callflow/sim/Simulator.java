package io.callflow.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the iotcomms mediaservice against a callflow server: starts simulated calls and keeps the live ones, so
 * its REST API ({@link MediaserviceApi}) can act on them.
 */
public final class Simulator {

  private final Vertx vertx;
  private final SimConfig config;
  private final WebClient client;
  private final CallbackListener listener;
  private final Map<String, SimulatedCall> live = new ConcurrentHashMap<>();
  private final List<Context> contexts = new ArrayList<>();
  private final AtomicInteger nextContext = new AtomicInteger();

  public Simulator(Vertx vertx, SimConfig config) {
    this(vertx, config, CallbackListener.NONE, 64);
  }

  /** Construct it outside an event loop, so its calls can be spread over every event loop. */
  public Simulator(Vertx vertx, SimConfig config, CallbackListener listener, int connections) {
    this.vertx = vertx;
    this.config = config;
    this.listener = listener;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
    // Created from outside Vert.x, each context lands on the next event loop: calls spread over all of them.
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      contexts.add(vertx.getOrCreateContext());
    }
  }

  /** An inbound call from {@code from} to {@code to} whose caller follows {@code script}. */
  public Future<Transcript> inbound(String from, String to, CallerScript script) {
    return inbound(from, to, script, System.nanoTime());
  }

  /** As {@link #inbound(String, String, CallerScript)}, measured from {@code dueNanos}, when it was meant to start. */
  public Future<Transcript> inbound(String from, String to, CallerScript script, long dueNanos) {
    return onOwnContext(call -> call.inbound(from, to, dueNanos), script);
  }

  /** A call placed with placeivrcall: the callee at {@code destination} talks to the IVR following {@code script}. */
  Future<Transcript> outbound(String destination, double maxRingTime, JsonObject reference, CallerScript script) {
    return onOwnContext(call -> call.outbound(destination, maxRingTime, reference), script);
  }

  /** Runs each call on one event-loop context (round robin), so its steps never race. */
  private Future<Transcript> onOwnContext(java.util.function.Function<SimulatedCall, Future<Transcript>> start,
                                          CallerScript script) {
    Promise<Transcript> result = Promise.promise();
    Context context = contexts.get(Math.floorMod(nextContext.getAndIncrement(), contexts.size()));
    context.runOnContext(v -> {
      SimulatedCall call = new SimulatedCall(vertx, client, config, script, listener);
      live.put(call.sessionId, call);
      start.apply(call).onComplete(done -> {
        live.remove(call.sessionId);
        result.handle(done);
      });
    });
    return result.future();
  }

  /** The live call with this mediaservice sessionId, or with this callflow reference callId. */
  SimulatedCall find(String sessionId) {
    return sessionId == null ? null : live.get(sessionId);
  }

  SimulatedCall findByConnection(String connectionId) {
    return live.values().stream().filter(c -> connectionId != null && connectionId.equals(c.connectionId))
        .findFirst().orElse(null);
  }

  /** The mediaservice sessionIds of the calls running now. */
  public java.util.Set<String> liveSessionIds() {
    return java.util.Set.copyOf(live.keySet());
  }

  public int liveCalls() {
    return live.size();
  }

  public void close() {
    client.close();
  }
}
