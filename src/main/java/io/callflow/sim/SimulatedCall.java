package io.callflow.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One call as the mediaservice runs it, on one event-loop context: posts the callbacks in the vendor's order, obeys
 * each answer (IVR commands, forwards, drops), plays the person's script and the callees' behaviour in simulated
 * time, and keeps the transcript. A protocol error is recorded and ends the call, like the vendor's alarms; the
 * session is always closed with /sessionCompleted.
 */
final class SimulatedCall {

  private static final Set<String> DEPARTURES = Set.of("calledPartyDrop", "callingPartyDrop");

  private final Context context;
  private final SimConfig config;
  private final CallbackClient callbacks;
  private final CallerScript script;
  private final CallClock clock;
  private final IvrLoop ivr;
  final Transcript transcript;
  final String sessionId = Ids.timeUuid();
  /** The party the script plays: the caller of an inbound call, the callee of a placed one. */
  final String person = Ids.timeUuid();
  final String ivrParticipant = Ids.timeUuid();
  private final String ivrConnection = Ids.timeUuid();
  private final String traceId = UUID.randomUUID().toString();
  private final Promise<Transcript> done = Promise.promise();
  private final Set<String> replyIds = ConcurrentHashMap.newKeySet();

  private String personNumber;
  private String ivrNumber;
  private Object reference;
  /** Whether the last departure was the IVR hanging up, so that a drop after it reads as the IVR's doing. */
  private boolean ivrLeft;
  /** Whether the person talks to the IVR now (so that the API may hang the IVR up). */
  private volatile boolean inIvr;
  private volatile boolean over;
  /** The forward in progress, read by the REST API. */
  private volatile Forward forward;
  /** The caller's connection to the IVR once reported with /callAnswered (see {@link SimConfig#ivrAnswered}). */
  private volatile Forward ivrLink;
  /** The file the forward being set up records once answered (callRecording), or null. */
  private String recordOnAnswer;

  /** A forward's callee: ringing until answered, then connected through {@code connectionId}. */
  record Forward(String destination, String callee, String connectionId, String replyId, boolean answered,
                 String recording, long recordingFrom) {
    Forward connected(String connection, String answeredReplyId) {
      return new Forward(destination, callee, connection, answeredReplyId, true, null, 0);
    }

    Forward recording(String file, long from) {
      return new Forward(destination, callee, connectionId, replyId, answered, file, from);
    }
  }

  SimulatedCall(Vertx vertx, CallbackClient callbacks, SimConfig config, CallerScript script) {
    this.callbacks = callbacks;
    this.config = config;
    this.script = script;
    this.transcript = new Transcript(sessionId);
    this.context = vertx.getOrCreateContext();
    this.clock = new CallClock(vertx, config);
    this.ivr = new IvrLoop(this, script, clock, config);
    clock.schedule(config.limits().maxCallMillis(), new Leave(Leave.Who.PERSON,
        "the call reached its time limit of " + config.limits().maxCallMillis() / 1000 + " s", "time-limit"));
  }

  /** An inbound call from {@code from} to {@code to}; {@code dueNanos} is when it was meant to start. */
  Future<Transcript> inbound(String from, String to, long dueNanos) {
    personNumber = from;
    ivrNumber = to;
    // Late starts count against the server; a timer firing a little early must not make latency look smaller.
    clock.startDueAt(Math.min(dueNanos, System.nanoTime()));
    JsonObject newCall = new JsonObject().put("sessionId", sessionId).put("sipCallId", Ids.sipCallId())
        .put("callingPartyPrivacy", "public").put("callingParty", from).put("displayName", "Sim Caller")
        .put("fromUser", from).put("calledParty", to).put("xHeaders", new JsonObject()).put("pHeaders", new JsonObject())
        .put("paiNumber", from).put("srcAddr", "10.0.0.2");
    post("newCall", newCall).compose(answer -> obey(answer, "newCall", true)).onFailure(this::abort);
    return done.future();
  }

  /** A call placed with placeivrcall: the callee at {@code destination} rings, then talks to the IVR. */
  Future<Transcript> outbound(String destination, String sipFrom, double maxRingTime, Object sessionReference) {
    personNumber = user(destination);
    ivrNumber = sipFrom == null ? "ivr" : sipFrom;
    reference = sessionReference;
    forward = new Forward(destination, person, null, null, false, null, 0);
    ring(destination, maxRingTime).onFailure(this::abort);
    return done.future();
  }

  // ---- decisions -------------------------------------------------------------------------------------------------

  /** Applies a /newCall or /callEvent answer to the person; {@code first} starts the person's script. */
  Future<Void> obey(JsonObject answer, String callback, boolean first) {
    Decision decision = Decision.parse(answer, callback);
    transcript.add("answer", callback + " → " + decision.summary());
    if (decision.reference() != null) {
      reference = decision.reference();
    }
    if (first && !(decision instanceof Decision.Drop)) {
      ivr.startScript();
    }
    inIvr = decision instanceof Decision.Ivr;
    if (decision instanceof Decision.Ivr) {
      ivrLeft = false;
      transcript.add("ivr", "connected to the IVR");
      return (first && config.ivrAnswered() ? ivrAnswered() : Future.<Void>succeededFuture())
          .compose(v -> ivr.next(null));
    }
    if (decision instanceof Decision.Call call) {
      ivrLeft = false;
      forward = new Forward(call.destination(), Ids.timeUuid(), null, null, false, null, 0);
      recordOnAnswer = call.recordingFile();
      return ring(call.destination(), call.maxRingTime());
    }
    String code = ((Decision.Drop) decision).dropCode();
    transcript.add("dropped", code == null ? "" : code);
    return finish(ivrLeft ? "ivr-hangup" : code == null ? "dropped" : "dropped:" + code);
  }

  // ---- forwards --------------------------------------------------------------------------------------------------

  private boolean outbound() {
    return forward != null && person.equals(forward.callee());
  }

  private Future<Void> ring(String destination, double maxRingTime) {
    transcript.add("forward", destination);
    Callee behaviour = config.callee(destination);
    String callee = forward.callee();
    String remote = outbound() ? ivrParticipant : person;
    long maxRing = Math.round(maxRingTime * 1000);
    JsonObject ringing = new JsonObject().put("event", "ringing").put("participantId", callee)
        .put("remoteParticipantId", remote).put("user", user(destination)).put("remoteUser", userOf(remote, null))
        .put("sessionId", sessionId).put("sipCallId", Ids.sipCallId()).put("traceId", traceId);
    putReference(ringing);
    return post("callNotify", ringing).compose(ack -> {
      if (behaviour instanceof Callee.Busy) {
        return clock.pause(Math.min(Callee.SHORT_RING_MILLIS, maxRing)).compose(t -> calleeFailed(486));
      }
      if (behaviour instanceof Callee.Reject reject) {
        return clock.pause(Math.min(Callee.SHORT_RING_MILLIS, maxRing)).compose(t -> calleeFailed(reject.sipCode()));
      }
      if (behaviour instanceof Callee.NoAnswer noAnswer) {
        return clock.pause(Math.min(noAnswer.ringMillis(), maxRing)).compose(t -> calleeFailed(480));
      }
      Callee.Answer answer = (Callee.Answer) behaviour;
      if (answer.afterMillis() > maxRing) {
        // The mediaservice gives up at maxRingTime before the callee would have answered.
        return clock.pause(maxRing).compose(t -> calleeFailed(408));
      }
      return clock.pause(answer.afterMillis()).compose(t -> connected(answer));
    });
  }

  /** The caller's connection to the IVR, reported as the vendor may: /callAnswered with its own replyId. */
  private Future<Void> ivrAnswered() {
    String replyId = newReplyId();
    ivrLink = new Forward(ivrNumber, ivrParticipant, ivrConnection, replyId, true, null, 0);
    JsonObject answered = new JsonObject().put("connectionId", ivrConnection).put("callerParticipantId", person)
        .put("calleeParticipantId", ivrParticipant).put("callingPartyNumber", number(personNumber))
        .put("remotePartyNumber", number(ivrNumber)).put("replyId", replyId).put("traceId", traceId);
    putReference(answered);
    return post("callAnswered", answered).mapEmpty();
  }

  private Future<Void> connected(Callee.Answer answer) {
    String replyId = newReplyId();
    Forward ringing = forward;
    forward = ringing.connected(Ids.timeUuid(), replyId);
    if (recordOnAnswer != null) {
      forward = forward.recording(recordOnAnswer, clock.current());
      transcript.add("recording", "started " + recordOnAnswer);
      recordOnAnswer = null;
    }
    boolean placed = outbound();
    transcript.add("connected", ringing.destination());
    JsonObject answered = new JsonObject().put("connectionId", forward.connectionId())
        .put("callerParticipantId", placed ? ivrParticipant : person).put("calleeParticipantId", ringing.callee())
        .put("callingPartyNumber", number(placed ? ivrNumber : personNumber))
        .put("remotePartyNumber", number(user(ringing.destination())))
        .put("callingPartyExpires", 600).put("calledPartyExpires", 600).put("replyId", replyId).put("traceId", traceId);
    putReference(answered);
    // No sessionId here: the vendor documents none, and callflow must match by sessionReferenceId.
    return post("callAnswered", answered).compose(ack -> {
      if (placed) {
        inIvr = true;
        ivr.startScript();
        return ivr.next(null);
      }
      Forward talking = forward;
      return clock.pause(answer.talkMillis()).compose(t -> {
        if (forward != talking) {
          // The connection was split meanwhile: this callee is gone already.
          return Future.succeededFuture();
        }
        transcript.add("hangup", "callee " + ringing.destination() + " hangs up");
        return calleeLeaves();
      });
    });
  }

  private Future<Void> calleeFailed(int sipCode) {
    Forward failed = forward;
    transcript.add("failed", failed.destination() + " " + sipCode);
    String reason = Callee.reason(sipCode);
    JsonObject extra = new JsonObject().put("sipResponseCode", sipCode).put("errorDescr", reason)
        .put("sipReason", "SIP ;cause=" + sipCode + " ;text=\"" + reason + "\"");
    boolean placed = outbound();
    forward = null;
    if (placed) {
      // A placed call that was not reached has no one left to decide about: the session ends.
      return callEvent("calledPartyFailure", person, ivrParticipant, failed, null, extra)
          .compose(answer -> finish("failed:" + sipCode));
    }
    return callEvent("calledPartyFailure", failed.callee(), person, failed, null, extra)
        .compose(answer -> obey(answer, "callEvent", false));
  }

  /** The connected callee hung up: callflow decides what happens to the person. */
  private Future<Void> calleeLeaves() {
    Forward ended = forward;
    forward = null;
    return recordingEnds(ended)
        .compose(v -> callEvent("calledPartyDrop", ended.callee(), person, ended, ended.connectionId(), new JsonObject()))
        .compose(answer -> obey(answer, "callEvent", false));
  }

  // ---- departures ------------------------------------------------------------------------------------------------

  /** The IVR hung up after a hangup:true command (or through the API); callflow decides about the person. */
  Future<Void> ivrLeaves() {
    ivrLeft = true;
    inIvr = false;
    transcript.add("hangup", "IVR hangs up");
    Forward at = forward;
    Forward link = ivrLink;
    ivrLink = null;
    String connection = at != null && at.answered() ? at.connectionId() : ivrConnection;
    return recordingEnds(link)
        .compose(v -> callEvent("calledPartyDrop", ivrParticipant, person, at, connection, new JsonObject()))
        .compose(answer -> obey(answer, "callEvent", false));
  }

  /** The person hung up (script, time limit or API): callflow is told and the session ends. */
  private Future<Void> personLeaves(Leave leave) {
    transcript.add("hangup", "caller hangs up" + (leave.outcome.equals("caller-hangup") ? "" : ": " + leave.getMessage()));
    Forward at = forward;
    forward = null;
    inIvr = false;
    boolean withCallee = at != null && !person.equals(at.callee());
    String remote = withCallee ? at.callee() : ivrParticipant;
    String connection = at != null ? at.connectionId() : ivrConnection;
    Forward link = ivrLink;
    ivrLink = null;
    return recordingEnds(at).compose(v -> recordingEnds(link))
        .compose(v -> callEvent("callingPartyDrop", person, remote, at, connection, new JsonObject()))
        .compose(answer -> finish(leave.outcome));
  }

  private Future<Void> leave(Leave leave) {
    switch (leave.who) {
      case IVR:
        return ivrLeaves();
      case CALLEE:
        Forward at = forward;
        if (at == null) {
          // The callee left by itself meanwhile and the call moved on without a pause to resume: end it.
          return finish(leave.outcome);
        }
        transcript.add("hangup", "callee " + at.destination() + " hung up through the API");
        return at.answered() ? calleeLeaves() : calleeFailed(487);
      default:
        return personLeaves(leave);
    }
  }

  // ---- what the REST API does to a live call (called from the API's context) --------------------------------------

  /** interruptivrcommand: true when {@code replyId} started the command running now, which then stops. */
  boolean interrupt(String replyId) {
    if (over || !ivr.isRunning(replyId)) {
      return false;
    }
    context.runOnContext(v -> ivr.interrupt(replyId));
    return true;
  }

  /** hangupparticipant: false when the participant is not in this call now. */
  boolean hangUp(String participantId) {
    Forward at = forward;
    Leave.Who who = person.equals(participantId) ? Leave.Who.PERSON
        : ivrParticipant.equals(participantId) && inIvr ? Leave.Who.IVR
        : at != null && at.callee().equals(participantId) ? Leave.Who.CALLEE : null;
    if (over || who == null) {
      return false;
    }
    context.runOnContext(v -> {
      if (!over) {
        clock.leaveNow(new Leave(who, "hung up through the API", "api-hangup"));
      }
    });
    return true;
  }

  boolean issued(String replyId) {
    return replyIds.contains(replyId);
  }

  /** The connected forward or the reported IVR connection, if {@code connectionId} is its connection. */
  Forward connection(String connectionId) {
    for (Forward at : new Forward[] {forward, ivrLink}) {
      if (at != null && at.answered() && at.connectionId().equals(connectionId)) {
        return at;
      }
    }
    return null;
  }

  /**
   * splitconnection on the connected forward: one /callEvent per participant, as the vendor describes, each answer
   * applying to that participant: the callee's (calleeConnectionSplit) leaves it, the caller's
   * (callerConnectionSplit) is obeyed like any callEvent answer. False when {@code connectionId} is not connected.
   */
  Future<Boolean> split(String connectionId) {
    return onContext(() -> {
      Forward at = forward;
      if (over || at == null || !at.answered() || !at.connectionId().equals(connectionId) || outbound()) {
        return false;
      }
      forward = null;
      transcript.add("split", at.destination());
      recordingEnds(at)
          .compose(v -> callEvent("calleeConnectionSplit", at.callee(), person, at, connectionId, new JsonObject()))
          .compose(answer -> {
            transcript.add("answer", "callEvent (callee split) → " + answer.getValue("action"));
            return callEvent("callerConnectionSplit", person, at.callee(), at, connectionId, new JsonObject());
          })
          .compose(answer -> obey(answer, "callEvent", false))
          .onFailure(this::abort);
      return true;
    });
  }

  /** startrecording on a connection; false if it is no longer connected. */
  Future<Boolean> startRecording(String connectionId, String fileName) {
    return onContext(() -> {
      Forward at = connection(connectionId);
      if (at == null) {
        return false;
      }
      replace(at, at.recording(fileName, clock.current()));
      transcript.add("recording", "started " + fileName);
      return true;
    });
  }

  /** stoprecording: the file is uploaded and callflow told; false when no recording runs. */
  Future<Boolean> stopRecording(String connectionId, boolean success) {
    return onContext(() -> {
      Forward at = connection(connectionId);
      if (at == null || at.recording() == null) {
        return false;
      }
      replace(at, at.recording(null, 0));
      recordingReady(at, success).onFailure(this::abort);
      return true;
    });
  }

  private void replace(Forward old, Forward updated) {
    if (old == ivrLink) {
      ivrLink = updated;
    } else {
      forward = updated;
    }
  }

  // ---- the vendor's notifications --------------------------------------------------------------------------------

  /** A recording still running when its connection ends is stopped and delivered. */
  private Future<Void> recordingEnds(Forward at) {
    return at == null || at.recording() == null ? Future.succeededFuture() : recordingReady(at, true);
  }

  private Future<Void> recordingReady(Forward at, boolean success) {
    // 8 kB per second of G.711 audio.
    long bytes = Math.max(1, clock.current() - at.recordingFrom()) * 8;
    JsonObject ready = new JsonObject().put("sessionId", sessionId).put("connectionId", at.connectionId())
        .put("recordingFileName", at.recording()).put("fileSize", success ? bytes : 0).put("domain", config.domain())
        .put("event", success ? "recordingSuccessful" : "recordingFailed");
    if (!success) {
      ready.put("reason", "No callee media received");
    }
    transcript.add("recording", at.recording() + (success ? " ready" : " failed"));
    return post("recordingReady", ready).mapEmpty();
  }

  /** Posts a /callEvent about {@code participant} leaving {@code remote}; {@code at} names a forward's callee. */
  private Future<JsonObject> callEvent(String event, String participant, String remote, Forward at, String connection,
                                       JsonObject extra) {
    JsonObject body = extra.put("event", event).put("participantId", participant).put("remoteParticipantId", remote)
        .put("user", userOf(participant, at)).put("remoteUser", userOf(remote, at)).put("sessionId", sessionId)
        .put("domain", config.domain()).put("traceId", traceId);
    if (connection != null) {
      body.put("connectionId", connection);
    }
    putReference(body);
    return post("callEvent", body).map(answer -> {
      if (DEPARTURES.contains(event) && participant.equals(person)) {
        // Nobody is left to apply the answer to; the vendor still wants one.
        Object action = answer.getValue("action");
        transcript.add("answer", "callEvent → " + (action == null ? "no action" : action));
        if (action == null) {
          transcript.protocolError("No action provided in callEvent response");
        }
      }
      return answer;
    });
  }

  /** Closes the session with /sessionCompleted (whatever callflow answers) and completes the transcript. */
  Future<Void> finish(String outcome) {
    if (over) {
      return Future.succeededFuture();
    }
    over = true;
    clock.stop();
    transcript.outcome(outcome);
    JsonObject completed = new JsonObject().put("sessionId", sessionId).put("domain", config.domain())
        .put("sessionDuration", String.valueOf(clock.now() / 1000)).put("reason", outcome).put("traceId", traceId);
    putReference(completed);
    return post("sessionCompleted", completed)
        .<Void>mapEmpty()
        .recover(e -> {
          transcript.protocolError(e instanceof ProtocolError ? e.getMessage() : "simulator failure: " + e);
          return Future.succeededFuture();
        })
        .onComplete(v -> done.tryComplete(transcript));
  }

  /** Every chain of a call ends here on failure: a departure is reported, anything else ends the call. */
  void abort(Throwable failure) {
    if (over) {
      return;
    }
    if (failure instanceof Leave leave) {
      leave(leave).onFailure(this::abort);
      return;
    }
    transcript.protocolError(failure instanceof ProtocolError ? failure.getMessage() : "simulator failure: " + failure);
    finish("error");
  }

  // ---- plumbing --------------------------------------------------------------------------------------------------

  Future<JsonObject> post(String name, JsonObject body) {
    return callbacks.post(name, body, clock.takeDue(), transcript);
  }

  String newReplyId() {
    String replyId = Ids.replyId(config.domain());
    replyIds.add(replyId);
    return replyId;
  }

  void putReference(JsonObject body) {
    if (reference != null) {
      body.put("sessionReferenceId", reference);
    }
  }

  void reference(Object newReference) {
    if (newReference != null) {
      reference = newReference;
    }
  }

  boolean isOver() {
    return over;
  }

  private String userOf(String participant, Forward at) {
    if (participant.equals(person)) {
      return personNumber;
    }
    return participant.equals(ivrParticipant) || at == null ? ivrNumber : user(at.destination());
  }

  /**
   * A SIP user as the vendor's /callAnswered sample writes it: digits as a JSON number ({@code 46890510}, though
   * the schema says string), anything else as text.
   */
  static Object number(String user) {
    return user != null && user.matches("[1-9][0-9]{0,17}") ? (Object) Long.parseLong(user) : user;
  }

  /** The user part of a SIP URI ({@code sip:+4612@pbx} → {@code +4612}). */
  static String user(String uri) {
    String rest = uri.replaceFirst("^sips?:", "");
    int at = rest.indexOf('@');
    return at > 0 ? rest.substring(0, at) : rest;
  }

  private <T> Future<T> onContext(java.util.function.Supplier<T> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(action.get()));
    return result.future();
  }
}
