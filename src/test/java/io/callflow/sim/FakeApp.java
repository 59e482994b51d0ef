package io.callflow.sim;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for callflow: answers each callback the way a test scripts it and keeps every callback it got.
 * By default newCall answers ivr (with a sessionReferenceId), callEvent answers drop, notifications answer {},
 * and getIvrCommand plays "Goodbye." and hangs up.
 */
final class FakeApp {

  /** A raw answer: any status, any body. */
  record Raw(int status, String body) {
  }

  /** An answer that never comes. */
  static final Object SILENCE = new Object();

  record Received(String callback, JsonObject body) {
  }

  private static final List<String> CALLBACKS = List.of("newCall", "getIvrCommand", "callEvent", "callNotify",
      "callAnswered", "recordingReady", "sessionCompleted");

  private final Map<String, Function<JsonObject, Object>> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, List<Promise<JsonObject>>> waiting = new ConcurrentHashMap<>();
  private HttpServer server;

  private FakeApp() {
    answers.put("newCall", body -> new JsonObject().put("action", "ivr")
        .put("sessionReferenceId", new JsonObject().put("callId", body.getString("sessionId"))));
    answers.put("callEvent", body -> new JsonObject().put("action", "drop"));
    answers.put("getIvrCommand", body -> hangup(body, say("Goodbye.")));
  }

  static FakeApp start(Vertx vertx) {
    FakeApp app = new FakeApp();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    CALLBACKS.forEach(name -> router.post("/" + name).handler(ctx -> app.answer(name, ctx)));
    app.server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return app;
  }

  int port() {
    return server.actualPort();
  }

  /** How callback {@code name} is answered from now on: a JsonObject (200), a {@link Raw}, or {@link #SILENCE}. */
  FakeApp on(String name, Function<JsonObject, Object> answer) {
    answers.put(name, answer);
    return this;
  }

  /** getIvrCommand answers these commands in turn (replyId echoed), then "Goodbye." and hangup. */
  FakeApp commands(JsonObject... commands) {
    AtomicInteger next = new AtomicInteger();
    return on("getIvrCommand", body -> {
      int i = next.getAndIncrement();
      return i < commands.length ? commands[i].copy().put("replyId", body.getString("replyId"))
          : hangup(body, say("Goodbye."));
    });
  }

  /** callEvent answers these in turn, then drop. */
  FakeApp events(JsonObject... events) {
    AtomicInteger next = new AtomicInteger();
    return on("callEvent", body -> {
      int i = next.getAndIncrement();
      return i < events.length ? events[i] : new JsonObject().put("action", "drop");
    });
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> names() {
    return received.stream().map(Received::callback).toList();
  }

  List<JsonObject> bodies(String name) {
    return received.stream().filter(r -> r.callback().equals(name)).map(Received::body).toList();
  }

  /** The {@code n}th (from 1) callback {@code name}, waiting up to 5 s for it to arrive. */
  JsonObject nth(String name, int n) {
    Promise<JsonObject> arrived = Promise.promise();
    synchronized (this) {
      List<JsonObject> so = bodies(name);
      if (so.size() >= n) {
        return so.get(n - 1);
      }
      waiting.computeIfAbsent(name + "#" + n, k -> new ArrayList<>()).add(arrived);
    }
    try {
      return arrived.future().await(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no " + name + " #" + n + " in 5 s; got " + names(), e);
    }
  }

  void close() {
    server.close().await();
  }

  private void answer(String name, RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    synchronized (this) {
      received.add(new Received(name, body));
      List<Promise<JsonObject>> promises = waiting.remove(name + "#" + bodies(name).size());
      if (promises != null) {
        promises.forEach(p -> p.tryComplete(body));
      }
    }
    Object answer = answers.getOrDefault(name, b -> new JsonObject()).apply(body);
    if (answer == SILENCE) {
      return;
    }
    if (answer instanceof Raw raw) {
      ctx.response().setStatusCode(raw.status()).end(raw.body());
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(((JsonObject) answer).encode());
  }

  // ---- answers as callflow writes them ---------------------------------------------------------------------------

  static JsonObject say(String text) {
    return new JsonObject().put("format", "awstts").put("region", "eu-west-1").put("awsTTSParameters",
        new JsonObject().put("Text", text).put("VoiceId", "Joanna").put("LanguageCode", "en-US").put("OutputFormat", "pcm"));
  }

  static JsonObject file(String name) {
    return new JsonObject().put("format", "file").put("fileName", name);
  }

  /** A command playing these phrases and collecting with these DTMF settings, barge-in all. */
  static JsonObject menu(JsonObject dtmf, JsonObject... phrases) {
    return new JsonObject().put("phrases", new JsonArray(List.of((Object[]) phrases))).put("bargeIn", "all")
        .put("dtmf", dtmf);
  }

  static JsonObject dtmf(int maxDigits, String terminationKey, boolean flush) {
    JsonObject dtmf = new JsonObject().put("flush", flush).put("maxDigits", maxDigits).put("firstTimeout", 5)
        .put("betweenTimeout", 3);
    return terminationKey == null ? dtmf : dtmf.put("terminationKey", terminationKey);
  }

  static JsonObject play(JsonObject... phrases) {
    return new JsonObject().put("phrases", new JsonArray(List.of((Object[]) phrases)));
  }

  static JsonObject hangup(JsonObject request, JsonObject... phrases) {
    return play(phrases).put("hangup", true).put("replyId", request.getString("replyId"));
  }

  static JsonObject call(String destination, double maxRingTime) {
    return new JsonObject().put("action", "call").put("destAddr", destination).put("maxRingTime", maxRingTime);
  }
}
