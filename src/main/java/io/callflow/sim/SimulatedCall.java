package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Set;
import java.util.UUID;

/**
 * One call as the mediaservice runs it, on one event loop: posts the callbacks in the vendor's order, obeys each
 * answer (IVR commands, forwards, drops), plays the caller's script and the callees' behaviour, and keeps the
 * transcript. Any protocol error is recorded and ends the call, like the vendor's alarms.
 */
final class SimulatedCall {

  /** Ends the callback chain of a call after a protocol error was recorded. */
  private static final class Aborted extends RuntimeException {
    Aborted() {
      super(null, null, false, false);
    }
  }

  private static final Set<String> FORMATS = Set.of("awstts", "googletts", "file", "url");
  /** Collections a caller whose script ran out lets time out before hanging up. */
  private static final int PATIENCE = 3;

  private final Vertx vertx;
  private final WebClient client;
  private final SimConfig config;
  private final CallerScript script;
  private final CallbackListener listener;
  final Transcript transcript;
  final String sessionId = Ids.timeUuid();
  private final String traceId = UUID.randomUUID().toString();
  private final String caller = UUID.randomUUID().toString();
  private final String ivr = UUID.randomUUID().toString();
  private final Promise<Transcript> done = Promise.promise();
  private final io.vertx.core.Context context;

  private JsonObject reference;
  volatile String ivrReplyId;
  volatile String answeredReplyId;
  volatile String connectionId;
  private String callee;
  private boolean ivrHungUp;
  private volatile boolean over;
  private int commands;
  private int patience = PATIENCE;
  private long dueNanos;
  private Promise<Void> waiting;
  private long waitTimer = -1;
  private boolean interrupted;
  /** Keys pressed while no collection ran; they count toward the next one unless it flushes them. */
  private String buffer = "";

  SimulatedCall(Vertx vertx, WebClient client, SimConfig config, CallerScript script, CallbackListener listener) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.script = script;
    this.listener = listener;
    this.transcript = new Transcript(sessionId);
    this.context = vertx.getOrCreateContext();
  }

  Future<Transcript> done() {
    return done.future();
  }

  /** An inbound call from {@code from} to {@code to}; {@code dueNanos} is when it was meant to start. */
  Future<Transcript> inbound(String from, String to, long due) {
    // Late starts count against the server; a timer firing a little early must not make latency look smaller.
    dueNanos = Math.min(due, System.nanoTime());
    JsonObject newCall = new JsonObject().put("sessionId", sessionId).put("sipCallId", String.valueOf(System.nanoTime()))
        .put("callingPartyPrivacy", "public").put("callingParty", from).put("displayName", "Sim Caller")
        .put("fromUser", from).put("calledParty", to).put("paiNumber", from).put("srcAddr", "10.0.0.2")
        .put("xHeaders", new JsonObject()).put("pHeaders", new JsonObject());
    post("newCall", newCall).compose(answer -> obey(answer, "newCall")).onFailure(this::abort);
    return done();
  }

  /** An outbound call placed through the REST API: the callee answers (or not) and then talks to the IVR. */
  Future<Transcript> outbound(String destination, double maxRingTime, JsonObject sessionReference) {
    reference = sessionReference;
    ring(destination, maxRingTime, true).onFailure(this::abort);
    return done();
  }

  private Future<Void> obey(JsonObject answer, String callback) {
    String action = answer.getString("action");
    if ("ivr".equals(action)) {
      rememberReference(answer);
      transcript.add("ivr", "connected to the IVR");
      return ivr(null);
    }
    if ("call".equals(action)) {
      rememberReference(answer);
      Object destAddr = answer.getValue("destAddr");
      String destination = destAddr instanceof JsonArray list && !list.isEmpty()
          ? list.getJsonObject(0).getString("destAddr") : destAddr instanceof String s ? s : null;
      if (destination == null || destination.isBlank()) {
        return fail("a call answer to " + callback + " has no destAddr");
      }
      Number ring = answer.getNumber("maxRingTime");
      ivrHungUp = false;
      return ring(destination, ring == null ? 30 : ring.doubleValue(), false);
    }
    if ("drop".equals(action)) {
      String code = answer.getString("dropCode");
      transcript.add("dropped", code == null ? "" : code);
      return finish(ivrHungUp ? "ivr-hangup" : code == null ? "dropped" : "dropped:" + code);
    }
    return fail(callback + " answer has " + (action == null ? "no action" : "unknown action '" + action + "'"));
  }

  private Future<Void> ivr(JsonObject outcome) {
    if (over) {
      return Future.succeededFuture();
    }
    if (++commands > config.maxCommands()) {
      return fail("more than " + config.maxCommands() + " IVR commands in one call");
    }
    String replyId = Ids.replyId(config.domain());
    ivrReplyId = replyId;
    JsonObject request = new JsonObject().put("sessionId", sessionId).put("sessionReferenceId", reference)
        .put("replyId", replyId);
    if (outcome != null) {
      request.mergeIn(outcome);
    }
    return post("getIvrCommand", request).compose(command -> command(command, replyId));
  }

  private Future<Void> command(JsonObject command, String replyId) {
    if (!replyId.equals(command.getString("replyId"))) {
      transcript.protocolError("getIvrCommand answer does not echo the replyId");
    }
    JsonArray phrases = command.getJsonArray("phrases", new JsonArray());
    long playMillis = 0;
    for (Object item : phrases) {
      JsonObject phrase = item instanceof JsonObject p ? p : new JsonObject();
      String format = phrase.getString("format");
      if (!FORMATS.contains(format)) {
        return fail("phrase with unknown format '" + format + "'");
      }
      String heard = heard(phrase);
      transcript.add("heard", heard);
      playMillis += "file".equals(format) || "url".equals(format) ? 2000 : 60L * heard.length();
    }
    if (script.peek() instanceof CallerScript.Hangup) {
      script.next();
      return callerHangsUp();
    }
    JsonObject dtmf = command.getJsonObject("dtmf");
    if (dtmf == null && script.peek() instanceof CallerScript.Press early) {
      script.next();
      buffer += early.digits();
      transcript.add("pressed", early.digits() + " (while no collection ran)");
    }
    if (dtmf != null) {
      return collect(dtmf, playMillis, command.getString("bargeIn") != null);
    }
    if (Boolean.TRUE.equals(command.getBoolean("hangup"))) {
      return pause(config.real(playMillis)).compose(v -> ivrHangsUp());
    }
    Number after = command.getNumber("getIVRCommandAfter");
    long waitMillis = playMillis + (after == null ? 0 : Math.round(after.doubleValue() * 1000));
    if (command.getJsonObject("backgroundPrompt") != null) {
      transcript.add("background", String.valueOf(command.getJsonObject("backgroundPrompt").getValue("fileName")));
    }
    return pause(config.real(waitMillis)).compose(v -> {
      consumeInterrupt();
      return ivr(null);
    });
  }

  /** Collects the digits of the caller's next step, as the IVR would report them. */
  private Future<Void> collect(JsonObject dtmf, long playMillis, boolean bargeIn) {
    long waited = 0;
    CallerScript.Step step = script.next();
    while (step instanceof CallerScript.Wait wait) {
      waited += wait.millis();
      step = script.next();
    }
    if (step == null) {
      step = patience-- > 0 ? new CallerScript.Silent() : new CallerScript.Hangup();
    }
    if (step instanceof CallerScript.Hangup) {
      return pause(config.real(waited)).compose(v -> callerHangsUp());
    }
    JsonObject outcome;
    long delay;
    String buffered = buffer;
    buffer = "";
    if (Boolean.TRUE.equals(dtmf.getBoolean("flush")) && !buffered.isEmpty()) {
      transcript.add("flushed", buffered);
      buffered = "";
    }
    if (step instanceof CallerScript.Press press) {
      transcript.add("pressed", press.digits());
      outcome = dtmfOutcome(buffered + press.digits(), dtmf);
      long between = "betweenTimeout".equals(outcome.getJsonObject("dtmfParams").getString("reason"))
          ? seconds(dtmf, "betweenTimeout", 3) : 0;
      delay = (bargeIn ? 0 : playMillis) + waited + 200L * press.digits().length() + between;
    } else {
      transcript.add("silent", "");
      outcome = new JsonObject().put("dtmfParams", new JsonObject().put("reason", "firstTimeout"));
      delay = playMillis + waited + seconds(dtmf, "firstTimeout", 5);
    }
    return pause(config.real(delay)).compose(v -> ivr(consumeInterrupt() ? null : outcome));
  }

  /** What the IVR reports for {@code pressed} under these DTMF settings. */
  static JsonObject dtmfOutcome(String pressed, JsonObject dtmf) {
    int maxDigits = dtmf.getInteger("maxDigits", 1);
    String key = dtmf.getString("terminationKey");
    JsonObject params = new JsonObject();
    String match = pressed;
    int keyAt = key == null || key.isEmpty() ? -1 : indexOfAny(pressed, key);
    if (keyAt >= 0 && keyAt < maxDigits) {
      match = pressed.substring(0, keyAt);
      params.put("reason", "terminationKey").put("matchedTerminationKey", String.valueOf(pressed.charAt(keyAt)));
    } else if (pressed.length() >= maxDigits) {
      match = pressed.substring(0, maxDigits);
      params.put("reason", "maxDigits");
    } else {
      params.put("reason", "betweenTimeout");
    }
    params.put("dtmfMatch", match).put("encryption", new JsonObject());
    return new JsonObject().put("dtmfBuffer", match).put("dtmfParams", params);
  }

  private static int indexOfAny(String pressed, String keys) {
    for (int i = 0; i < pressed.length(); i++) {
      if (keys.indexOf(pressed.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private Future<Void> ring(String destination, double maxRingTime, boolean outbound) {
    transcript.add("forward", destination);
    Callee behaviour = config.callee(destination);
    callee = UUID.randomUUID().toString();
    long maxRingMillis = Math.round(maxRingTime * 1000);
    JsonObject ringing = new JsonObject().put("event", "ringing").put("participantId", callee)
        .put("remoteParticipantId", caller).put("user", destination).put("remoteUser", "caller")
        .put("sessionReferenceId", reference).put("sipCallId", UUID.randomUUID().toString()).put("traceId", traceId);
    if (!outbound) {
      ringing.put("sessionId", sessionId);
    }
    return post("callNotify", ringing).compose(ack -> {
      if (behaviour instanceof Callee.Busy) {
        return pause(config.real(300)).compose(v -> calleeFailed(destination, 486, "Busy Here"));
      }
      if (behaviour instanceof Callee.Reject reject) {
        return pause(config.real(300)).compose(v -> calleeFailed(destination, reject.sipCode(), "Rejected"));
      }
      if (behaviour instanceof Callee.NoAnswer
          || behaviour instanceof Callee.Answer answer && answer.afterMillis() > maxRingMillis) {
        return pause(config.real(maxRingMillis)).compose(v -> calleeFailed(destination, 480, "Temporarily Unavailable"));
      }
      Callee.Answer answer = (Callee.Answer) behaviour;
      return pause(config.real(answer.afterMillis())).compose(v -> connected(destination, answer, outbound));
    });
  }

  private Future<Void> connected(String destination, Callee.Answer answer, boolean outbound) {
    answeredReplyId = Ids.replyId(config.domain());
    connectionId = UUID.randomUUID().toString();
    transcript.add("connected", destination);
    JsonObject answered = new JsonObject().put("connectionId", connectionId).put("callerParticipantId", caller)
        .put("calleeParticipantId", callee).put("callingPartyNumber", "sim").put("remotePartyNumber", destination)
        .put("callingPartyExpires", 600).put("calledPartyExpires", 600).put("replyId", answeredReplyId)
        .put("sessionReferenceId", reference).put("traceId", traceId);
    return post("callAnswered", answered).compose(ack -> {
      if (outbound) {
        return ivr(null);
      }
      long waited = 0;
      while (script.peek() instanceof CallerScript.Wait wait) {
        waited += wait.millis();
        script.next();
      }
      if (script.peek() instanceof CallerScript.Hangup && waited < answer.talkMillis()) {
        script.next();
        return pause(config.real(waited)).compose(v -> callerHangsUp());
      }
      return pause(config.real(answer.talkMillis())).compose(v -> {
        transcript.add("hangup", "callee " + destination + " hangs up");
        return callEvent("calledPartyDrop", callee, caller, new JsonObject());
      });
    });
  }

  private Future<Void> calleeFailed(String destination, int sipCode, String text) {
    transcript.add("failed", destination + " " + sipCode);
    return callEvent("calledPartyFailure", callee, caller, new JsonObject().put("sipResponseCode", sipCode)
        .put("errorDescr", text).put("sipReason", "SIP ;cause=" + sipCode + " ;text=\"" + text + "\""));
  }

  /** The IVR hung up after a hangup:true command; callflow decides what happens to the caller. */
  private Future<Void> ivrHangsUp() {
    ivrHungUp = true;
    transcript.add("hangup", "IVR hangs up");
    return callEvent("calledPartyDrop", ivr, caller, new JsonObject());
  }

  private Future<Void> callerHangsUp() {
    transcript.add("hangup", "caller hangs up");
    JsonObject event = new JsonObject().put("event", "callingPartyDrop").put("participantId", caller)
        .put("remoteParticipantId", callee != null ? callee : ivr).put("sessionId", sessionId)
        .put("sessionReferenceId", reference).put("domain", config.domain()).put("connectionId", connectionId);
    return post("callEvent", event).compose(answer -> {
      if (answer.getString("action") == null) {
        transcript.protocolError("callEvent answer has no action");
      }
      return finish("caller-hangup");
    });
  }

  private Future<Void> callEvent(String event, String participant, String remote, JsonObject extra) {
    JsonObject body = extra.put("event", event).put("participantId", participant).put("remoteParticipantId", remote)
        .put("user", "callee").put("remoteUser", "caller").put("sessionId", sessionId).put("domain", config.domain())
        .put("sessionReferenceId", reference).put("connectionId", connectionId);
    return post("callEvent", body).compose(answer -> obey(answer, "callEvent"));
  }

  /** The participant was hung up through the REST API: the call is over. */
  void hungUpByApi() {
    context.runOnContext(v -> {
      transcript.add("hangup", "hung up through the API");
      cancelWait();
      finish("api-hangup");
    });
  }

  /** interruptivrcommand: ends the running command now, if {@code replyId} started it. */
  boolean interrupt(String replyId) {
    if (over || !replyId.equals(ivrReplyId)) {
      return false;
    }
    context.runOnContext(v -> {
      Promise<Void> wait = waiting;
      if (wait != null && replyId.equals(ivrReplyId)) {
        transcript.add("interrupted", "");
        interrupted = true;
        cancelWait();
        wait.tryComplete();
      }
    });
    return true;
  }

  /** A recording of this call's connection finished: tell callflow. */
  Future<Void> recordingReady(String fileName, boolean success) {
    JsonObject ready = new JsonObject().put("sessionId", sessionId).put("connectionId", connectionId)
        .put("recordingFileName", fileName).put("fileSize", success ? 48_000 : 0).put("domain", config.domain())
        .put("event", success ? "recordingSuccessful" : "recordingFailed");
    if (!success) {
      ready.put("reason", "No callee media received");
    }
    Promise<Void> posted = Promise.promise();
    context.runOnContext(v -> {
      transcript.add("recording", fileName + (success ? " ok" : " failed"));
      post("recordingReady", ready).<Void>mapEmpty().onComplete(posted);
    });
    return posted.future();
  }

  private Future<Void> finish(String outcome) {
    if (over) {
      return Future.succeededFuture();
    }
    over = true;
    transcript.outcome(outcome);
    JsonObject completed = new JsonObject().put("sessionId", sessionId).put("domain", config.domain())
        .put("sessionDuration", String.valueOf(transcript.entries().isEmpty() ? 0
            : transcript.entries().get(transcript.entries().size() - 1).atMillis()))
        .put("reason", outcome).put("sessionReferenceId", reference).put("traceId", traceId);
    return post("sessionCompleted", completed)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())
        .onComplete(v -> done.tryComplete(transcript));
  }

  private Future<Void> fail(String error) {
    transcript.protocolError(error);
    return finish("error");
  }

  private void abort(Throwable failure) {
    if (!(failure instanceof Aborted)) {
      transcript.protocolError("simulator failure: " + failure);
    }
    finish("error");
  }

  /** Posts one callback; anything but 200 with a JSON object is a protocol error that ends the call. */
  private Future<JsonObject> post(String name, JsonObject body) {
    long intended = dueNanos != 0 ? dueNanos : System.nanoTime();
    dueNanos = 0;
    body.put("ivrServer", "10.0.0.1");
    if (!name.equals("callNotify") && !name.equals("recordingReady") && !name.equals("newCall")) {
      body.put("httpTransactionId", UUID.randomUUID().toString());
    }
    if (config.siteBaseUrl() != null && !name.equals("recordingReady")) {
      body.put("siteId", "siteA").put("siteBaseUrl", config.siteBaseUrl());
    }
    transcript.add("callback", name);
    HttpRequest<Buffer> request = client.post(config.port(), config.host(), config.basePath() + "/" + name)
        .timeout(config.timeoutMillis())
        .putHeader("Content-Type", "application/json");
    if (config.authorization() != null) {
      request.putHeader("Authorization", config.authorization());
    }
    Future<HttpResponse<Buffer>> sent = request.sendBuffer(body.toBuffer());
    if (config.duplicates()) {
      sent = sent.compose(first -> request.sendBuffer(body.toBuffer()).map(second -> {
        if (!String.valueOf(first.bodyAsString()).equals(String.valueOf(second.bodyAsString()))) {
          transcript.protocolError(name + " repeated got a different answer: " + second.bodyAsString());
        }
        return second;
      }));
    }
    return sent.transform(result -> {
      long latency = System.nanoTime() - intended;
      if (result.failed()) {
        listener.answered(name, latency, false);
        transcript.protocolError(name + " failed: " + result.cause().getMessage());
        return Future.failedFuture(new Aborted());
      }
      HttpResponse<Buffer> response = result.result();
      listener.answered(name, latency, response.statusCode() == 200);
      if (response.statusCode() != 200) {
        transcript.protocolError(name + " answered HTTP " + response.statusCode() + " " + response.bodyAsString());
        return Future.failedFuture(new Aborted());
      }
      Buffer answer = response.body();
      if (answer == null || answer.length() == 0) {
        transcript.protocolError(name + " answered an empty body");
        return Future.failedFuture(new Aborted());
      }
      try {
        return Future.succeededFuture(new JsonObject(answer));
      } catch (DecodeException | ClassCastException e) {
        transcript.protocolError(name + " answered something that is not a JSON object");
        return Future.failedFuture(new Aborted());
      }
    });
  }

  /** Waits {@code millis} of real time; interruptivrcommand may end the wait early. */
  private Future<Void> pause(long millis) {
    dueNanos = System.nanoTime() + millis * 1_000_000;
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> wait = Promise.promise();
    waiting = wait;
    waitTimer = vertx.setTimer(millis, t -> {
      if (waiting == wait) {
        waiting = null;
      }
      wait.tryComplete();
    });
    return wait.future();
  }

  private void cancelWait() {
    if (waitTimer >= 0) {
      vertx.cancelTimer(waitTimer);
    }
    waiting = null;
    dueNanos = System.nanoTime();
  }

  private boolean consumeInterrupt() {
    boolean was = interrupted;
    interrupted = false;
    return was;
  }

  private void rememberReference(JsonObject answer) {
    JsonObject given = answer.getJsonObject("sessionReferenceId");
    if (given != null) {
      reference = given;
    }
  }

  private static long seconds(JsonObject dtmf, String field, int fallback) {
    Number value = dtmf.getNumber(field);
    return Math.round((value == null ? fallback : value.doubleValue()) * 1000);
  }

  private static String heard(JsonObject phrase) {
    switch (phrase.getString("format")) {
      case "file":
        return "file:" + phrase.getString("fileName");
      case "url":
        return "url:" + phrase.getString("url");
      case "googletts":
        JsonObject google = phrase.getJsonObject("googleTTSParameters", new JsonObject());
        return google.getJsonObject("input", new JsonObject()).getString("text", "");
      default:
        return phrase.getJsonObject("awsTTSParameters", new JsonObject()).getString("Text", "");
    }
  }
}
