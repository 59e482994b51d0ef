package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The mediaservice REST API callflow calls back, served on its own port: {@code /{domain}/placeivrcall},
 * {@code interruptivrcommand}, {@code startrecording}, {@code stoprecording}, {@code hangupparticipant}. Each
 * checks the bearer token and the replyId rules, answers {@code {"success": …}}, and starts the callbacks it causes.
 */
public final class MediaserviceApi extends VerticleBase {

  /** One request the API received, for tests to inspect. */
  public record Request(String operation, String authorization, JsonObject body, int status) {
  }

  private final Simulator simulator;
  private final Predicate<String> tokenOk;
  private final Function<String, CallerScript> outboundScripts;
  private final int port;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Future<Transcript>> placed = new CopyOnWriteArrayList<>();
  private volatile boolean recordingsFail;
  private HttpServer server;

  /**
   * @param tokenOk         decides whether a bearer token is accepted
   * @param outboundScripts the script the callee of a placed call follows, by destination
   */
  public MediaserviceApi(Simulator simulator, int port, Predicate<String> tokenOk,
                         Function<String, CallerScript> outboundScripts) {
    this.simulator = simulator;
    this.port = port;
    this.tokenOk = tokenOk;
    this.outboundScripts = outboundScripts;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.post("/:domain/placeivrcall").handler(ctx -> handle(ctx, "placeivrcall", this::placeCall));
    router.post("/:domain/interruptivrcommand").handler(ctx -> handle(ctx, "interruptivrcommand", this::interrupt));
    router.post("/:domain/startrecording").handler(ctx -> handle(ctx, "startrecording", this::startRecording));
    router.post("/:domain/stoprecording").handler(ctx -> handle(ctx, "stoprecording", this::stopRecording));
    router.post("/:domain/hangupparticipant").handler(ctx -> handle(ctx, "hangupparticipant", this::hangup));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, "127.0.0.1");
  }

  public int port() {
    return server.actualPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The calls placed with placeivrcall, each completing with its transcript when it ends. */
  public List<Future<Transcript>> placedCalls() {
    return List.copyOf(placed);
  }

  /** Makes later stoprecording calls report recordingFailed. */
  public void failRecordings(boolean fail) {
    recordingsFail = fail;
  }

  private void handle(RoutingContext ctx, String operation, Function<JsonObject, Integer> action) {
    String authorization = ctx.request().getHeader("Authorization");
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    int status;
    if (authorization == null || !authorization.startsWith("Bearer ") || !tokenOk.test(authorization.substring(7))) {
      status = 401;
    } else if (body == null) {
      status = 400;
    } else {
      status = action.apply(body);
    }
    requests.add(new Request(operation, authorization, body, status));
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Access-Control-Allow-Origin", "*")
        .end(new JsonObject().put("success", status == 200).encode());
  }

  private int placeCall(JsonObject body) {
    String destination = body.getString("destAddr");
    if (destination == null || !destination.startsWith("sip")) {
      return 400;
    }
    Number ring = body.getNumber("maxRingTime");
    placed.add(simulator.outbound(destination, ring == null ? 30 : ring.doubleValue(),
        body.getJsonObject("sessionReferenceId"), outboundScripts.apply(destination)));
    return 200;
  }

  private int interrupt(JsonObject body) {
    SimulatedCall call = simulator.find(body.getString("sessionId"));
    if (call == null) {
      return 404;
    }
    return call.interrupt(String.valueOf(body.getString("replyId"))) ? 200 : 409;
  }

  private int startRecording(JsonObject body) {
    SimulatedCall call = answeredCall(body);
    return call == null ? 404 : call.answeredReplyId.equals(body.getString("replyId")) ? 200 : 409;
  }

  private int stopRecording(JsonObject body) {
    SimulatedCall call = answeredCall(body);
    if (call == null) {
      return 404;
    }
    if (!call.answeredReplyId.equals(body.getString("replyId"))) {
      return 409;
    }
    String file = body.getString("recordingFileName", "recording-" + call.sessionId + ".mp3");
    vertx.setTimer(50, t -> call.recordingReady(file, !recordingsFail));
    return 200;
  }

  private int hangup(JsonObject body) {
    SimulatedCall call = simulator.find(body.getString("sessionId"));
    if (call == null) {
      return 404;
    }
    call.hungUpByApi();
    return 200;
  }

  private SimulatedCall answeredCall(JsonObject body) {
    SimulatedCall call = simulator.findByConnection(body.getString("connectionId"));
    return call != null && call.answeredReplyId != null ? call : null;
  }

  /** Accepts exactly the given tokens (none: accept any). */
  public static Predicate<String> tokens(String... accepted) {
    List<String> all = List.of(accepted);
    return token -> all.isEmpty() || all.contains(token);
  }

  /** Each destination's callee follows the script given for it, else silence. */
  public static Function<String, CallerScript> scripts(Map<String, String> byDestination) {
    return destination -> CallerScript.parse(byDestination.getOrDefault(destination,
        byDestination.getOrDefault("*", "")));
  }
}
