package io.callflow.sim;

import io.callflow.mediaservice.Payloads;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's ceiling: a bare Vert.x server that answers the same callbacks with canned JSON after the same
 * JSON decode, echoing the ids callflow echoes (sessionId, replyId, a reference naming the call), but with no flow
 * and no session. callflow is measured against it in the same run, on as many event loops.
 */
@Command(name = "ceiling", mixinStandardHelpOptions = true, hidden = true,
    footer = {"%nExample:", "  java -jar callflow.jar ceiling --port 18081"},
    description = "Run the bare Vert.x server the benchmark compares callflow with.")
public final class CeilingServer extends VerticleBase implements Callable<Integer> {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String MENU_PHRASES = ",\"phrases\":[{\"format\":\"awstts\",\"region\":\"eu-west-1\","
      + "\"awsTTSParameters\":{\"Text\":\"Press 1 for sales, 2 for support, 3 for your account.\",\"VoiceId\":\"Joanna\","
      + "\"LanguageCode\":\"en-US\",\"OutputFormat\":\"pcm\"}}],\"bargeIn\":\"all\","
      + "\"dtmf\":{\"flush\":true,\"maxDigits\":10,\"firstTimeout\":5,\"betweenTimeout\":3,\"terminationKey\":\"#\"}}";

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}).")
  int port = 8081;

  @Option(names = "--instances", description = "Verticles, each on its own event loop; 0: two per core "
      + "(default: ${DEFAULT-VALUE}).")
  int instances = 0;

  @Override
  public Integer call() {
    Vertx vertx = Vertx.vertx();
    int loops = instances > 0 ? instances : 2 * Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> {
      CeilingServer server = new CeilingServer();
      server.port = port;
      return server;
    }, new DeploymentOptions().setInstances(loops)).await();
    System.out.println("ceiling listening on " + port);
    return 0;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(65536));
    router.post("/newCall").handler(this::newCall);
    router.post("/getIvrCommand").handler(this::ivrCommand);
    router.post("/callEvent").handler(this::callEvent);
    router.post("/callNotify").handler(ctx -> answer(ctx, Payloads.CallNotify.class, "{}"));
    router.post("/callAnswered").handler(ctx -> answer(ctx, Payloads.CallAnswered.class, "{}"));
    router.post("/sessionCompleted").handler(ctx -> answer(ctx, Payloads.SessionCompleted.class, "{}"));
    // Plays Expertflow CX too, so bench/run.sh can measure callflow exporting activity records.
    router.post("/ccm/message/receive").handler(ctx -> ctx.response().setStatusCode(202).end());
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  private static void answer(RoutingContext ctx, Class<?> payload, String json) {
    decode(ctx, payload);
    ctx.response().putHeader("Content-Type", "application/json").end(json);
  }

  private void newCall(RoutingContext ctx) {
    Payloads.NewCall request = decode(ctx, Payloads.NewCall.class);
    String answer = "{\"sessionReferenceId\":" + reference(request.sessionId()) + ",\"action\":\"ivr\"}";
    ctx.response().putHeader("Content-Type", "application/json").end(answer);
  }

  /** The same menu for every request: the caller's script decides when the call ends. */
  private void ivrCommand(RoutingContext ctx) {
    Payloads.GetIvrCommand request = decode(ctx, Payloads.GetIvrCommand.class);
    String answer = "{\"sessionId\":" + Json.encode(request.sessionId()) + ",\"replyId\":"
        + Json.encode(request.replyId()) + ",\"sessionReferenceId\":" + reference(request.sessionId()) + MENU_PHRASES;
    ctx.response().putHeader("Content-Type", "application/json").end(answer);
  }

  private void callEvent(RoutingContext ctx) {
    Payloads.CallEvent request = decode(ctx, Payloads.CallEvent.class);
    String answer = "{\"sessionReferenceId\":" + reference(request.sessionId()) + ",\"action\":\"drop\"}";
    ctx.response().putHeader("Content-Type", "application/json").end(answer);
  }

  /** A reference like callflow's, naming the call by its sessionId. */
  private static String reference(String sessionId) {
    return "{\"callId\":" + Json.encode(sessionId) + ",\"flow\":\"bench\",\"version\":\"0\"}";
  }

  private static <T> T decode(RoutingContext ctx, Class<T> type) {
    try {
      return JSON.readValue(ctx.body().buffer().getBytes(), type);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
