package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The getIvrCommand loop of one call, and the person's script as it meets it: plays each command's phrases, runs
 * its DTMF collection with the script's keys, keeps the DTMF buffer, and asks for the next command.
 * Used on the call's own context only (except {@link #isRunning}).
 */
final class IvrLoop {

  private static final Leave HANGS_UP = new Leave(Leave.Who.PERSON, "caller hangs up", "caller-hangup");

  private final SimulatedCall call;
  private final CallerScript script;
  private final CallClock clock;
  private final SimConfig config;
  private final Transcript transcript;
  /** When the person can do its next step, in the call's simulated time. */
  private long readyAt;
  /** Collections the person let time out after its script ran out. */
  private int waitedOut;
  private int commands;
  /** Keys received while no collection took them; the next collection starts with them unless it flushes. */
  private String buffer = "";
  /**
   * The background prompt playing, or null: the vendor plays it "after phrases … and between commands" until a
   * command stops it or the IVR hangs up, so it runs on under every later command until then.
   */
  private String hold;
  /** The replyId of the getIvrCommand whose command runs now, for interruptivrcommand. */
  private volatile String running;

  IvrLoop(SimulatedCall call, CallerScript script, CallClock clock, SimConfig config) {
    this.call = call;
    this.script = script;
    this.clock = clock;
    this.config = config;
    this.transcript = call.transcript;
  }

  /** The person is on the line: its script's time starts now. */
  void startScript() {
    readyAt = clock.now();
    schedule();
  }

  boolean isRunning(String replyId) {
    return replyId != null && replyId.equals(running);
  }

  void interrupt(String replyId) {
    if (isRunning(replyId)) {
      clock.interrupt();
    }
  }

  /** Asks for the next command, reporting the last collection's {@code outcome} if any. */
  Future<Void> next(JsonObject outcome) {
    if (call.isOver()) {
      return Future.succeededFuture();
    }
    if (++commands > config.limits().maxCommands()) {
      return Future.failedFuture(new ProtocolError("more than " + config.limits().maxCommands()
          + " IVR commands in one call"));
    }
    String replyId = call.newReplyId();
    JsonObject request = new JsonObject().put("sessionId", call.sessionId).put("replyId", replyId);
    call.putReference(request);
    if (outcome != null) {
      request.mergeIn(outcome);
    }
    return call.post("getIvrCommand", request).compose(answer -> run(answer, replyId));
  }

  private Future<Void> run(JsonObject answer, String replyId) {
    IvrCommand command = IvrCommand.parse(answer);
    if (command.replyId() == null) {
      transcript.protocolError("getIvrCommand answer does not echo the replyId");
    } else if (!command.replyId().equals(replyId)) {
      transcript.protocolError("getIvrCommand answer echoes another replyId: " + command.replyId());
    }
    call.reference(command.reference());
    transcript.add("answer", "getIvrCommand → " + command.summary());
    background(command);
    if (command.hangup()) {
      return play(command, null, command.playMillis()).compose(v -> call.ivrLeaves());
    }
    if (command.dtmf() != null) {
      return collect(command, replyId);
    }
    return play(command, replyId, command.playMillis() + Math.max(0, command.afterMillis()))
        .compose(v -> next(null));
  }

  /**
   * Starts or stops the background prompt as the command says; one still playing under a command that plays
   * phrases or collects keys is noted as {@code hold} (hold music under a menu or a goodbye).
   */
  private void background(IvrCommand command) {
    if (command.stopBackground() && hold != null) {
      transcript.add("background-stop", hold);
      hold = null;
    }
    if (hold != null && (!command.phrases().isEmpty() || command.dtmf() != null)) {
      transcript.add("hold", hold + " plays under: " + command.summary());
    }
    if (command.background() != null) {
      hold = command.background();
      transcript.add("background", hold);
    }
    if (command.hangup()) {
      hold = null;
    }
  }

  /** The background prompt playing now, or null. */
  String hold() {
    return hold;
  }

  /** A command without collection: its phrases, then any getIVRCommandAfter wait (background prompt meanwhile). */
  private Future<Void> play(IvrCommand command, String replyId, long duration) {
    long start = clock.now();
    typeIntoBuffer(start + duration);
    running = replyId;
    List<Playback.Slot> slots = Playback.slots(command.phrases(), BargeIn.NONE, -1);
    return clock.pause(duration).transform(paused -> {
      running = null;
      hear(slots, clock.now() - start);
      if (paused.failed()) {
        return Future.failedFuture(paused.cause());
      }
      if (clock.takeInterrupted()) {
        transcript.add("interrupted", "");
      }
      return Future.succeededFuture();
    });
  }

  /** Keys the script types during a command that collects nothing go to the buffer. */
  private void typeIntoBuffer(long end) {
    if (script.peek() instanceof CallerScript.Type typed && readyAt <= end) {
      script.next();
      buffer += typed.digits();
      transcript.add("typed", typed.digits());
      readyAt = Math.max(readyAt, clock.now());
      schedule();
    }
  }

  private Future<Void> collect(IvrCommand command, String replyId) {
    long start = clock.now();
    Dtmf dtmf = command.dtmf();
    String buffered = buffer;
    buffer = "";
    if (dtmf.flush() && !buffered.isEmpty()) {
      transcript.add("flushed", buffered);
      buffered = "";
    }
    CallerScript.Step step = script.peek();
    boolean ranOut = step == null;
    if (ranOut) {
      step = waitedOut < config.limits().patience() ? new CallerScript.Silent() : new CallerScript.Hangup();
    }
    if (step instanceof CallerScript.Hangup) {
      // A random caller's (or a worn-out one's) hang-up: it cuts this command where it is then.
      if (!ranOut) {
        script.next();
      }
      clock.schedule(Math.max(readyAt, start), HANGS_UP);
    }
    String keys = step instanceof CallerScript.Press press ? press.digits()
        : step instanceof CallerScript.Type typed ? typed.digits() : null;
    DtmfCollector.Result result = DtmfCollector.collect(dtmf, buffered, command.playMillis(),
        command.bargeIn() != BargeIn.NONE, keys, Math.max(0, readyAt - start));
    List<Playback.Slot> slots = Playback.slots(command.phrases(), command.bargeIn(), result.firstKeyAt());
    long end = Math.max(result.endAt(), Playback.end(slots));
    String kept = buffered;
    CallerScript.Step taken = step;
    running = replyId;
    return clock.pause(end).transform(paused -> {
      running = null;
      hear(slots, clock.now() - start);
      if (paused.failed()) {
        return Future.failedFuture(paused.cause());
      }
      if (clock.takeInterrupted()) {
        // The collection is gone; keys it had from the buffer stay there, the script's keys wait for the next one.
        buffer = kept + buffer;
        transcript.add("interrupted", "");
        return next(null);
      }
      return collected(result, taken, keys, ranOut, dtmf);
    });
  }

  private Future<Void> collected(DtmfCollector.Result result, CallerScript.Step taken, String keys, boolean ranOut,
                                 Dtmf dtmf) {
    boolean timedOut = result.reason().endsWith("Timeout");
    if (result.usedPress()) {
      script.next();
      transcript.add("pressed", keys);
      readyAt = clock.now();
    } else if (taken instanceof CallerScript.Silent && timedOut) {
      if (ranOut) {
        waitedOut++;
      } else {
        script.next();
      }
      transcript.add("silent", ranOut ? "the script ran out" : "");
      readyAt = clock.now();
    }
    transcript.add("collected", result.reason() + (result.match().isEmpty() ? "" : " " + result.match()));
    buffer += result.leftover();
    schedule();
    return next(result.outcome(dtmf));
  }

  /** Consumes the waits after the person's last step; a hang-up after them is scheduled at its moment. */
  private void schedule() {
    while (script.peek() instanceof CallerScript.Wait wait) {
      script.next();
      readyAt += wait.millis();
    }
    if (script.peek() instanceof CallerScript.Hangup) {
      script.next();
      clock.schedule(readyAt, HANGS_UP);
    }
  }

  /** The phrases that had started {@code elapsed} into the command were heard; a key may have cut one. */
  private void hear(List<Playback.Slot> slots, long elapsed) {
    for (Playback.Slot slot : slots) {
      if (slot.start() > elapsed) {
        break;
      }
      transcript.add("heard", slot.phrase().heard());
      if (slot.cut() && slot.end() <= elapsed) {
        transcript.add("cut", slot.phrase().heard());
      }
    }
  }
}
