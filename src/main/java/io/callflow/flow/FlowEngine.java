package io.callflow.flow;

import io.callflow.session.Activity;
import io.callflow.session.Position;
import io.callflow.session.Position.Phase;
import io.callflow.session.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps a call through its flow: given the flow, the call's session, what happened and the time, it decides the
 * reply, the next session and the effects. Pure: no I/O, no clock, no shared state, so every deployment mode
 * behaves the same and a step costs microseconds. Any failure inside a step yields the flow's failsafe.
 */
public final class FlowEngine {

  /** More states than this without waiting for the caller means the flow loops on itself. */
  static final int MAX_HOPS = 64;

  public Step step(Flow flow, Session session, Event event, Instant now) {
    Session start = session.touched(now);
    Run run = new Run(flow, start, now);
    try {
      Reply reply = run.handle(event);
      return new Step(run.session, reply, run.effects);
    } catch (RuntimeException e) {
      Run failsafe = new Run(flow, start, now);
      Reply reply = failsafe.failsafe(Context.of(event), String.valueOf(e.getMessage()));
      return new Step(failsafe.session, reply, failsafe.effects);
    }
  }

  /** Whether the reply must be an IVR command, a call-control action, or an acknowledgement. */
  enum Context {
    IVR, CALL, NOTIFY;

    static Context of(Event event) {
      if (event instanceof Event.IvrRequest) {
        return IVR;
      }
      if (event instanceof Event.CalleeAnswered || event instanceof Event.Alarm || event instanceof Event.Completed) {
        return NOTIFY;
      }
      return CALL;
    }
  }

  /** One step in progress: the session as it changes and the effects so far. */
  private static final class Run {
    private final Flow flow;
    private final Instant now;
    private final List<Effect> effects = new ArrayList<>(2);
    private Session session;

    Run(Flow flow, Session session, Instant now) {
      this.flow = flow;
      this.session = session;
      this.now = now;
    }

    Reply handle(Event event) {
      Position at = session.at();
      if (event instanceof Event.CallStarted) {
        return go(at.state(), Context.CALL);
      }
      if (event instanceof Event.IvrRequest request) {
        return ivrRequest(at, request.digits());
      }
      if (event instanceof Event.CalleeAnswered) {
        if (at.phase() == Phase.RINGING) {
          session = session.at(Position.of(at.state(), Phase.CONNECTED));
          log("connected", null);
        }
        return new Reply.Ack();
      }
      if (event instanceof Event.CalleeFailed failed) {
        return at.phase() == Phase.RINGING ? calleeFailed(at.state(), failed.sipCode()) : end("dropped", null);
      }
      if (event instanceof Event.CalledPartyLeft) {
        return calledPartyLeft(at);
      }
      if (event instanceof Event.CallerLeft) {
        log("callerHangup", null);
        return end(at.phase() == Phase.CONNECTED ? "transferred" : "callerHangup:" + at.state(), null);
      }
      if (event instanceof Event.Alarm alarm) {
        log("alarm", alarm.type() + ": " + alarm.error());
        return new Reply.Ack();
      }
      Event.Completed completed = (Event.Completed) event;
      session = session.end(at.phase() == Phase.CONNECTED ? "transferred" : "completed");
      effects.add(new Effect.CallEnded(session.endReason()));
      log("completed", completed.reason());
      return new Reply.Ack();
    }

    private Reply ivrRequest(Position at, String digits) {
      switch (at.phase()) {
        case PENDING:
          State pending = flow.state(at.state());
          return decidesAlone(pending) ? go(at.state(), Context.IVR) : present(at.state(), pending);
        case PROMPTED:
          return answered(at, flow.state(at.state()), digits == null ? "" : digits);
        case ENDED:
        case TRANSFERRING:
          return new Reply.Command(List.of(), null, true);
        default:
          throw new IllegalStateException("getIvrCommand while the call is " + at.phase());
      }
    }

    /** Follows states that decide by themselves until one needs the caller, the IVR or the network. */
    private Reply go(String target, Context context) {
      String id = target;
      for (int hop = 0; hop < MAX_HOPS; hop++) {
        State state = flow.state(id);
        enter(id, state);
        if (Flow.FAILSAFE.equals(id)) {
          session = session.because("failsafe");
        }
        if (state instanceof State.Hours hours) {
          id = orFailsafe(hoursExit(hours));
        } else if (state instanceof State.Branch branch) {
          id = orFailsafe(branchExit(branch));
        } else if (state instanceof State.Set set) {
          set.vars().forEach((name, value) -> session = session.withVar(name, Template.expand(value, this::lookup)));
          id = set.next();
        } else if (context == Context.IVR) {
          return present(id, state);
        } else {
          return connect(id, state);
        }
      }
      throw new IllegalStateException("more than " + MAX_HOPS + " states in a row without caller input");
    }

    /** Inside the IVR: the command for an interactive state. */
    private Reply present(String id, State state) {
      if (state instanceof State.Menu menu) {
        return prompt(id, menu.prompt(), menuInput(menu), 0, 0);
      }
      if (state instanceof State.Collect collect) {
        return prompt(id, collect.prompt(), collectInput(collect), 0, 0);
      }
      if (state instanceof State.Play play) {
        return prompt(id, play.prompt(), null, 0, 0);
      }
      if (state instanceof State.Forward forward) {
        session = session.at(Position.of(id, Phase.TRANSFERRING));
        return new Reply.Command(expand(forward.prompt()), null, true);
      }
      if (state instanceof State.Hangup hangup) {
        session = session.end("hangup:" + id);
        return new Reply.Command(expand(hangup.prompt()), null, true);
      }
      throw new IllegalStateException("state " + id + " cannot be presented in the IVR");
    }

    /** Outside the IVR (newCall, callEvent): call, drop, or hand the caller to the IVR. */
    private Reply connect(String id, State state) {
      if (state instanceof State.Forward forward) {
        return call(id, forward);
      }
      if (state instanceof State.Hangup hangup && hangup.prompt().isEmpty()) {
        return end("hangup:" + id, hangup.dropCode());
      }
      if (Flow.FAILSAFE.equals(id)) {
        return end("failsafe", "temporarilyUnavailable");
      }
      session = session.at(Position.pending(id));
      return new Reply.ConnectIvr();
    }

    private Reply answered(Position at, State state, String digits) {
      String id = at.state();
      if (state instanceof State.Menu menu) {
        if (digits.isEmpty()) {
          return retry(at, menu.noInput(), true, menu.reprompt(), menuInput(menu));
        }
        String target = menu.options().get(digits);
        if (target == null) {
          log("invalid", digits);
          return retry(at, menu.invalid(), false, menu.reprompt(), menuInput(menu));
        }
        log("selected", digits);
        return go(target, Context.IVR);
      }
      if (state instanceof State.Collect collect) {
        if (digits.isEmpty()) {
          return retry(at, collect.noInput(), true, collect.prompt(), collectInput(collect));
        }
        if (digits.length() < collect.minDigits() || digits.length() > collect.maxDigits()) {
          log("invalid", collect.secret() ? mask(digits) : digits);
          return retry(at, collect.invalid(), false, collect.prompt(), collectInput(collect));
        }
        session = session.withVar(collect.variable(), digits);
        log("collected", collect.variable() + "=" + (collect.secret() ? mask(digits) : digits));
        return go(collect.next(), Context.IVR);
      }
      if (state instanceof State.Play play) {
        return go(play.next(), Context.IVR);
      }
      throw new IllegalStateException("state " + id + " does not take input");
    }

    /** Counts a no-input or invalid answer: asks again, or leaves by the retry's exit once the tries are used. */
    private Reply retry(Position at, Retry retry, boolean noInput, List<Prompt> reprompt, Reply.Input input) {
      int noInputs = at.noInput() + (noInput ? 1 : 0);
      int invalids = at.invalid() + (noInput ? 0 : 1);
      if (noInput) {
        log("noInput", String.valueOf(noInputs));
      }
      if ((noInput ? noInputs : invalids) >= retry.maxTries()) {
        log(noInput ? "noInputExhausted" : "invalidExhausted", null);
        return go(retry.exitOrFailsafe(), Context.IVR);
      }
      List<Prompt> prompts = new ArrayList<>(retry.prompt());
      prompts.addAll(reprompt);
      return prompt(at.state(), prompts, input, noInputs, invalids);
    }

    private Reply prompt(String id, List<Prompt> prompts, Reply.Input input, int noInputs, int invalids) {
      session = session.at(new Position(id, Phase.PROMPTED, noInputs, invalids));
      return new Reply.Command(expand(prompts), input, false);
    }

    private Reply call(String id, State.Forward forward) {
      String destination = Template.expand(forward.destination(), this::lookup);
      session = session.at(Position.of(id, Phase.RINGING));
      log("forwarding", destination);
      return new Reply.Call(destination, forward.ringTime(), Template.expand(forward.sipFrom(), this::lookup),
          Template.expand(forward.displayName(), this::lookup));
    }

    private Reply calleeFailed(String id, int sipCode) {
      State.Forward forward = (State.Forward) flow.state(id);
      String outcome = switch (sipCode) {
        case 486, 600, 603 -> "busy";
        case 408, 480, 487 -> "noAnswer";
        default -> "failed";
      };
      log(outcome, String.valueOf(sipCode));
      String exit = switch (outcome) {
        case "busy" -> forward.busy();
        case "noAnswer" -> forward.noAnswer();
        default -> forward.failed();
      };
      return exit == null ? end("forward:" + outcome, "busy".equals(outcome) ? "busy" : null) : go(exit, Context.CALL);
    }

    private Reply calledPartyLeft(Position at) {
      switch (at.phase()) {
        case TRANSFERRING:
          return call(at.state(), (State.Forward) flow.state(at.state()));
        case RINGING:
          return calleeFailed(at.state(), 0);
        case CONNECTED:
          log("calleeHangup", null);
          String after = ((State.Forward) flow.state(at.state())).after();
          session = session.because("transferred");
          return after == null ? end("transferred", null) : go(after, Context.CALL);
        default:
          return end("ivrHangup:" + at.state(), null);
      }
    }

    Reply failsafe(Context context, String cause) {
      effects.add(new Effect.FailsafeTaken(cause));
      log("failsafe", cause);
      session = session.because("failsafe");
      if (context == Context.NOTIFY) {
        return new Reply.Ack();
      }
      return go(Flow.FAILSAFE, context);
    }

    private Reply end(String reason, String dropCode) {
      session = session.end(reason);
      return new Reply.Drop(dropCode);
    }

    private void enter(String id, State state) {
      effects.add(new Effect.StateEntered(id, typeOf(state)));
      log("entered", null, id);
    }

    private String hoursExit(State.Hours hours) {
      OfficeHours.Verdict verdict = OfficeHours.at(hours, now);
      log(verdict.name().toLowerCase(java.util.Locale.ROOT), null);
      return switch (verdict) {
        case OPEN -> hours.open();
        case HOLIDAY -> hours.holiday() != null ? hours.holiday() : hours.closed();
        case CLOSED -> hours.closed();
      };
    }

    private String branchExit(State.Branch branch) {
      for (State.Case option : branch.cases()) {
        if (option.when().test(this::lookup)) {
          return option.next();
        }
      }
      return branch.otherwise();
    }

    /** Hours, branch and set pick the next state without the caller (a call registered by getCallIdentifier starts there). */
    private static boolean decidesAlone(State state) {
      return state instanceof State.Hours || state instanceof State.Branch || state instanceof State.Set;
    }

    private static String orFailsafe(String target) {
      return target == null ? Flow.FAILSAFE : target;
    }

    private List<Prompt> expand(List<Prompt> prompts) {
      return prompts.stream().map(p -> p.expand(this::lookup)).toList();
    }

    /** Caller data by fixed names, inbound headers as header.NAME, then flow variables. */
    private String lookup(String name) {
      switch (name) {
        case "callingParty":
          return session.caller().callingParty();
        case "calledParty":
          return session.caller().calledParty();
        case "callerName":
          return session.caller().name();
        default:
          if (name.startsWith("header.")) {
            return session.caller().headers().get(name.substring(7).toLowerCase(java.util.Locale.ROOT));
          }
          return session.vars().get(name);
      }
    }

    private void log(String kind, String detail) {
      log(kind, detail, session.at().state());
    }

    private void log(String kind, String detail, String state) {
      session = session.log(new Activity(now, state, kind, detail));
    }
  }

  static Reply.Input menuInput(State.Menu menu) {
    int timeout = menu.timeout() == null ? State.DEFAULT_TIMEOUT_SECONDS : menu.timeout();
    return new Reply.Input(menu.maxDigits(), timeout, State.DEFAULT_BETWEEN_TIMEOUT_SECONDS, menu.terminationKey());
  }

  static Reply.Input collectInput(State.Collect collect) {
    int timeout = collect.timeout() == null ? State.DEFAULT_TIMEOUT_SECONDS : collect.timeout();
    int between = collect.betweenTimeout() == null ? State.DEFAULT_BETWEEN_TIMEOUT_SECONDS : collect.betweenTimeout();
    return new Reply.Input(collect.maxDigits(), timeout, between, collect.terminator());
  }

  static String mask(String digits) {
    return "*".repeat(digits.length());
  }

  static String typeOf(State state) {
    return state.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
