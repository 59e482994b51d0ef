package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The mediaservice REST API callflow calls, served on its own port: {@code /{domain}/placeivrcall},
 * {@code interruptivrcommand}, {@code startrecording}, {@code stoprecording}, {@code hangupparticipant},
 * {@code splitconnection}. Each checks
 * the bearer token (401), the body against the vendor's documented one ({@link RestBodies}, 400), the session (404)
 * and the replyId rules (409), answers {@code {"success": …}}, and starts the callbacks it causes. Every request is
 * kept for tests to read.
 */
public final class MediaserviceApi extends VerticleBase {

  /**
   * One request the API received and the status it answered; {@code problem} says how its body differs from the
   * vendor's documented one (null when it does not).
   */
  public record Request(String operation, String domain, String authorization, JsonObject body, int status,
                        String problem) {
  }

  private static final int OK = 200;
  private static final int BAD_REQUEST = 400;
  private static final int UNAUTHORIZED = 401;
  private static final int NOT_FOUND = 404;
  private static final int CONFLICT = 409;
  private static final int KEPT_REQUESTS = 10_000;

  private final Simulator simulator;
  private volatile Predicate<String> tokenOk;
  private final Function<String, CallerScript> outboundScripts;
  private final int port;
  /** The first requests, for tests to read; a load test's millions are not all kept. */
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Future<Transcript>> placed = new CopyOnWriteArrayList<>();
  private volatile boolean recordingsFail;
  private volatile boolean startsRefused;
  private volatile long delayMillis;
  private HttpServer server;

  /**
   * @param port            0 for any free port
   * @param tokenOk         decides whether a bearer token is accepted (a JWT verifier fits here)
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
    router.post("/:domain/splitconnection").handler(ctx -> handle(ctx, "splitconnection", this::split));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, "127.0.0.1");
  }

  /** The port it listens on (the free one chosen for port 0). */
  public int port() {
    return server.actualPort();
  }

  /** The base URL callflow's mediaservice client should use, without the domain. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The calls placed with placeivrcall, each completing with its transcript when it ends. */
  public List<Future<Transcript>> placedCalls() {
    return List.copyOf(placed);
  }

  /** From now on accepts the bearer tokens {@code check} accepts (as after a key change at the mediaservice). */
  public void acceptTokens(Predicate<String> check) {
    tokenOk = check;
  }

  /** Answers each request this much later (it is carried out at once), as a slow or distant mediaservice would. */
  public void delayAnswers(long millis) {
    delayMillis = millis;
  }

  /** Makes later startrecording calls fail with 404, as for a connection that is gone, recording nothing. */
  public void refuseRecordingStarts(boolean refuse) {
    startsRefused = refuse;
  }

  /** Makes later stoprecording calls report recordingFailed (with a reason) instead of recordingSuccessful. */
  public void failRecordings(boolean fail) {
    recordingsFail = fail;
  }

  private void handle(RoutingContext ctx, String operation, Function<JsonObject, Future<Integer>> action) {
    String authorization = ctx.request().getHeader("Authorization");
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    JsonObject request = body;
    String problem = request == null ? "the body is not a JSON object" : RestBodies.problem(operation, request);
    Future<Integer> status;
    if (!RestBodies.bearer(authorization) || !tokenOk.test(authorization.substring(7))) {
      status = Future.succeededFuture(UNAUTHORIZED);
    } else if (problem != null) {
      status = Future.succeededFuture(BAD_REQUEST);
    } else {
      status = apply(action, request);
    }
    status.recover(e -> Future.succeededFuture(BAD_REQUEST)).onSuccess(code -> {
      if (requests.size() < KEPT_REQUESTS) {
        requests.add(new Request(operation, ctx.pathParam("domain"), authorization, request, code, problem));
      }
      long delay = delayMillis;
      if (delay > 0) {
        vertx.setTimer(delay, t -> answer(ctx, code));
      } else {
        answer(ctx, code);
      }
    });
  }

  private static void answer(RoutingContext ctx, int code) {
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
        .putHeader("Access-Control-Allow-Origin", "*")
        .end(new JsonObject().put("success", code == OK).encode());
  }

  /** A body with fields of the wrong type is a bad request, not a server error. */
  private static Future<Integer> apply(Function<JsonObject, Future<Integer>> action, JsonObject body) {
    try {
      return action.apply(body);
    } catch (ClassCastException e) {
      return Future.succeededFuture(BAD_REQUEST);
    }
  }

  private Future<Integer> placeCall(JsonObject body) {
    if (!(body.getValue("destAddr") instanceof String destination) || !destination.matches("sips?:.+")) {
      return Future.succeededFuture(BAD_REQUEST);
    }
    double ring = body.getValue("maxRingTime") instanceof Number n && n.doubleValue() > 0 ? n.doubleValue()
        : Decision.DEFAULT_RING_SECONDS;
    String sipFrom = body.getValue("sipFrom") instanceof String s ? s : null;
    placed.add(simulator.outbound(destination, sipFrom, ring, body.getValue("sessionReferenceId"),
        outboundScripts.apply(destination)));
    return Future.succeededFuture(OK);
  }

  private Future<Integer> interrupt(JsonObject body) {
    SimulatedCall call = simulator.find(body.getString("sessionId"));
    if (call == null) {
      return Future.succeededFuture(NOT_FOUND);
    }
    return Future.succeededFuture(call.interrupt(body.getString("replyId")) ? OK : CONFLICT);
  }

  private Future<Integer> startRecording(JsonObject body) {
    if (startsRefused) {
      return Future.succeededFuture(NOT_FOUND);
    }
    return onConnection(body, (call, connectionId) -> call.startRecording(connectionId, body.getString(
        "recordingFileName", "recording-" + call.sessionId + ".wav")).map(started -> started ? OK : NOT_FOUND));
  }

  private Future<Integer> stopRecording(JsonObject body) {
    return onConnection(body, (call, connectionId) -> call.stopRecording(connectionId, !recordingsFail)
        .map(stopped -> stopped ? OK : CONFLICT));
  }

  /** A request about a connection: 404 when no call has it, 409 without the replyId of its /callAnswered. */
  private Future<Integer> onConnection(JsonObject body, BiFunction<SimulatedCall, String, Future<Integer>> action) {
    String connectionId = body.getString("connectionId");
    SimulatedCall call = simulator.findByConnection(connectionId);
    if (call == null) {
      return Future.succeededFuture(NOT_FOUND);
    }
    if (!answeredReplyId(call, connectionId).equals(body.getString("replyId"))) {
      return Future.succeededFuture(CONFLICT);
    }
    return action.apply(call, connectionId);
  }

  private Future<Integer> split(JsonObject body) {
    return onConnection(body, (call, connectionId) -> call.split(connectionId).map(split -> split ? OK : CONFLICT));
  }

  private Future<Integer> hangup(JsonObject body) {
    SimulatedCall call = simulator.find(body.getString("sessionId"));
    if (call == null) {
      return Future.succeededFuture(NOT_FOUND);
    }
    if (!call.issued(String.valueOf(body.getValue("replyId")))) {
      return Future.succeededFuture(CONFLICT);
    }
    return Future.succeededFuture(call.hangUp(body.getString("participantId")) ? OK : NOT_FOUND);
  }

  /** The replyId of the /callAnswered that opened this connection (start/stoprecording must carry it). */
  private static String answeredReplyId(SimulatedCall call, String connectionId) {
    SimulatedCall.Forward connected = call.connection(connectionId);
    return connected == null ? "" : connected.replyId();
  }

  /** Accepts exactly the given tokens (none given: any bearer token). */
  public static Predicate<String> tokens(String... accepted) {
    List<String> all = List.of(accepted);
    return token -> all.isEmpty() || all.contains(token);
  }

  /** Each destination's callee follows the script given for it ("*": any other), else stays silent. */
  public static Function<String, CallerScript> scripts(Map<String, String> byDestination) {
    return destination -> CallerScript.parse(byDestination.getOrDefault(destination,
        byDestination.getOrDefault("*", "")));
  }
}
