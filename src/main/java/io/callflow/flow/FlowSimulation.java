package io.callflow.flow;

import io.callflow.flow.Position.Phase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs the real engine offline, as the mediaservice would drive it, with a virtual clock and scripted keys, and
 * tells the call as readable lines. No server, no network: what an operator uses to try a flow without a phone.
 */
public final class FlowSimulation {

  /**
   * How every forward's callee behaves; http states (never called offline) answer 200 with an empty JSON object
   * for ANSWER and fail for the others.
   */
  public enum Callee { ANSWER, BUSY, NOANSWER, FAIL }

  /** Collections a caller who has run out of keys lets time out before hanging up. */
  private static final int PATIENCE = 3;
  private static final int MAX_STEPS = 200;

  private final FlowEngine engine = new FlowEngine();
  private final Flow flow;
  private final Deque<String> keys;
  private final Callee callee;
  private final List<String> lines = new ArrayList<>();
  private final List<String> collections = new ArrayList<>();
  private final List<String> path = new ArrayList<>();
  private Session session;
  private Instant now;
  private int patience = PATIENCE;

  /**
   * @param keys what the caller does at each collection: digits (a trailing '#' ends the input) or "timeout"
   * @param vars variables the call starts with
   */
  public FlowSimulation(Flow flow, Caller caller, Instant at, List<String> keys, Map<String, String> vars,
                        Callee callee) {
    this.flow = flow;
    this.keys = new ArrayDeque<>(keys);
    this.callee = callee;
    this.now = at;
    // An answered connection, as if the mediaservice had reported one, so that voicemail can be tried offline.
    CallIds ids = new CallIds("simulated", null, "simulated-answer", "simulated-connection", null, null, null);
    Session start = Session.start("simulated", flow.id(), flow.version(), Session.Direction.INBOUND, caller, ids,
        flow.start(), at);
    for (Map.Entry<String, String> var : vars.entrySet()) {
      start = start.withVar(var.getKey(), var.getValue());
    }
    this.session = start;
  }

  /** Plays the call to its end and returns the transcript. */
  public List<String> run() {
    line("call from " + session.caller().callingParty() + " to " + session.caller().calledParty() + " at " + now);
    Reply reply = step(new Event.CallStarted());
    for (int steps = 0; steps < MAX_STEPS && reply != null; steps++) {
      reply = next(reply);
    }
    line("call ends: " + (session.endReason() == null ? "unfinished after " + MAX_STEPS + " steps" : session.endReason()));
    return lines;
  }

  private Reply next(Reply reply) {
    if (reply instanceof Reply.ConnectIvr) {
      line("connected to the IVR");
      return step(new Event.IvrRequest(null));
    }
    if (reply instanceof Reply.Command command) {
      command.prompts().forEach(p -> line("hears: " + (p.say() != null ? p.say() : p.file() != null
          ? "[file " + p.file() + "]" : "[audio " + p.url() + "]")));
      if (command.hangup()) {
        line(session.at().phase() == Phase.TRANSFERRING ? "IVR hangs up to transfer the caller" : "IVR hangs up");
        return session.at().phase() == Phase.TRANSFERRING ? step(new Event.CalledPartyLeft()) : finish();
      }
      if (session.at().phase() == Phase.WAITING) {
        return httpAnswer(command);
      }
      if (session.at().phase() == Phase.RECORDING) {
        line("leaves a message (up to " + command.waitSeconds() + " s)");
        now = now.plusSeconds(command.waitSeconds());
        return step(new Event.IvrRequest(""));
      }
      if (command.input() == null) {
        return step(new Event.IvrRequest(null));
      }
      collections.add(session.at().state());
      String digits = press(command.input());
      if (digits == null) {
        line("caller gives up and hangs up");
        return step(new Event.CallerLeft());
      }
      return step(new Event.IvrRequest(digits));
    }
    if (reply instanceof Reply.Call call) {
      line("forwarded to " + call.destination() + " (rings up to " + call.ringTime() + " s)");
      switch (callee) {
        case BUSY:
          line("callee is busy (486)");
          return step(new Event.CalleeFailed(486));
        case NOANSWER:
          line("callee does not answer (480)");
          return step(new Event.CalleeFailed(480));
        case FAIL:
          line("callee fails (503)");
          return step(new Event.CalleeFailed(503));
        default:
          step(new Event.CalleeAnswered());
          line("callee answers, talks, and hangs up");
          return step(new Event.CalledPartyLeft());
      }
    }
    if (reply instanceof Reply.Drop drop) {
      line("call dropped" + (drop.dropCode() == null ? "" : " (" + drop.dropCode() + ")"));
      return finish();
    }
    return null;
  }

  /** An http state is not called offline: it answers as the callee behaviour says, then the IVR asks again. */
  private Reply httpAnswer(Reply.Command hold) {
    String state = session.at().state();
    line("holds while " + state + " calls its system" + (hold.background() == null ? "" : " (hold music)"));
    Event.HttpResult result = callee == Callee.ANSWER ? new Event.HttpResult(state, 200, "{}", null)
        : new Event.HttpResult(state, 0, null, "not called offline (callee " + callee.name().toLowerCase(java.util.Locale.ROOT) + ")");
    line(result.error() == null ? "system answers 200 {}" : "system fails: " + result.error());
    step(result);
    return step(new Event.IvrRequest(null));
  }

  /** The call as it ended: end reason, variables, trail (after {@link #run()}); what CI assertions check. */
  public Session session() {
    return session;
  }

  /** The state of each DTMF collection of the call, in order (after {@link #run()}). */
  List<String> collections() {
    return collections;
  }

  /** The states the call entered, in order, repeats included (after {@link #run()}): the path to highlight. */
  public List<String> path() {
    return List.copyOf(path);
  }

  /** How the call ended, as the engine says (after {@link #run()}); null when it did not end. */
  public String endReason() {
    return session.endReason();
  }

  /** What happened, for coverage (after {@link #run()}). */
  List<io.callflow.flow.Activity> trail() {
    return session.trail();
  }

  /** The digits the caller enters for this collection, or "" for a timeout. */
  private String press(Reply.Input input) {
    String key = keys.poll();
    if (key == null) {
      if (patience-- <= 0) {
        return null;
      }
      key = "timeout";
    }
    if (key.equals("timeout")) {
      line("presses nothing (waits " + input.firstTimeout() + " s)");
      now = now.plusSeconds(input.firstTimeout());
      return "";
    }
    String digits = input.terminationKey() != null && key.endsWith(input.terminationKey())
        ? key.substring(0, key.length() - 1) : key;
    line("presses " + key);
    now = now.plusSeconds(1 + digits.length() / 2);
    return digits.length() > input.maxDigits() ? digits.substring(0, input.maxDigits()) : digits;
  }

  private Reply step(Event event) {
    Step step = engine.step(flow, session, event, now);
    session = step.next();
    step.effects().forEach(effect -> effect.accept(told));
    now = now.plusSeconds(1);
    return step.reply();
  }

  /** What the transcript tells of each effect: the states entered and the failsafe; the rest is the shell's. */
  private final Effect.Visitor<Void> told = new Effect.Visitor<>() {
    @Override
    public Void stateEntered(Effect.StateEntered entered) {
      line("→ " + entered.state() + " (" + entered.type() + ")");
      path.add(entered.state());
      return null;
    }

    @Override
    public Void failsafeTaken(Effect.FailsafeTaken failsafe) {
      line("failsafe: " + failsafe.cause());
      path.add(Flow.FAILSAFE);
      return null;
    }

    @Override
    public Void callEnded(Effect.CallEnded ended) {
      return null;
    }

    @Override
    public Void interrupt(Effect.Interrupt interrupt) {
      return null;
    }

    /** Offline the mediaservice accepts every recording at once. */
    @Override
    public Void startRecording(Effect.StartRecording start) {
      step(new Event.RecordingStarted(start.file()));
      return null;
    }

    @Override
    public Void stopRecording(Effect.StopRecording stop) {
      return null;
    }

    @Override
    public Void hangup(Effect.Hangup hangup) {
      return null;
    }

    @Override
    public Void httpFetch(Effect.HttpFetch fetch) {
      return null;
    }

    @Override
    public Void deadline(Effect.Deadline deadline) {
      return null;
    }
  };

  private Reply finish() {
    step(new Event.Completed("simulated"));
    return null;
  }

  private void line(String text) {
    lines.add(text);
  }
}
