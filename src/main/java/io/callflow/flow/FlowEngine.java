package io.callflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.callflow.flow.Position.Phase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps a call through its flow: given the flow, the call's session, what happened and the time, it decides the
 * reply, the next session and the effects. Pure: no I/O, no clock, no shared state, so every deployment mode
 * behaves the same and a step costs microseconds. Any failure inside a step yields the flow's failsafe.
 */
public final class FlowEngine {

  /** A header value's reference to an environment variable, {@code ${env:NAME}}, resolved by the shell. */
  static final String ENV_REFERENCE = "env:";

  /** More states than this without waiting for the caller means the flow loops on itself. */
  static final int MAX_HOPS = 64;
  /** Seconds the hold of an http state lasts beyond the request's timeout. */
  static final int HOLD_MARGIN_SECONDS = 2;
  /**
   * How long a caller holds after a stop that came before startrecording was confirmed: longer than a takeover
   * takes (a lease and a sweep) to send it or to know its outcome.
   */
  static final int UNCONFIRMED_HOLD_SECONDS = 10;
  /** Keys a voicemail collection takes before it ends anyway; only its stop key is meant to end it early. */
  static final int RECORDING_MAX_KEYS = 64;
  /** The longest value an http answer may put into a variable. */
  static final int MAX_VALUE = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  public Step step(Flow flow, Session session, Event event, Instant now) {
    Session start = session.touched(now);
    Run run = new Run(flow, start, now);
    try {
      Reply reply = run.handle(event);
      return new Step(run.session, reply, run.effects);
    } catch (RuntimeException e) {
      Run failsafe = new Run(flow, start, now);
      Reply reply = failsafe.failsafe(CallbackKind.of(event), String.valueOf(e.getMessage()));
      return new Step(failsafe.session, reply, failsafe.effects);
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
      return event.accept(new Handle(session.at()));
    }

    /** What each event does to the call where it is ({@code at}). */
    private final class Handle implements Event.Visitor<Reply> {
      private final Position at;

      Handle(Position at) {
        this.at = at;
      }

      @Override
      public Reply callStarted(Event.CallStarted started) {
        armDeadline();
        return go(at.state(), CallbackKind.NEW_CALL);
      }

      @Override
      public Reply ivrRequest(Event.IvrRequest request) {
        return Run.this.ivrRequest(at, request.digits());
      }

      @Override
      public Reply calleeAnswered(Event.CalleeAnswered answered) {
        return Run.this.calleeAnswered(at);
      }

      @Override
      public Reply calleeFailed(Event.CalleeFailed failed) {
        return switch (at.phase()) {
          case RINGING -> Run.this.calleeFailed(at.state(), failed.sipCode());
          case DIALING -> end(EndReason.of(outcome(failed.sipCode())).wire(), null);
          case HANGING_UP -> end(session.endReason(), null);
          default -> end(EndReason.DROPPED.wire(), null);
        };
      }

      @Override
      public Reply calledPartyLeft(Event.CalledPartyLeft left) {
        return Run.this.calledPartyLeft(at);
      }

      @Override
      public Reply callerLeft(Event.CallerLeft left) {
        log(Activity.Kind.CALLER_HANGUP, null);
        return end(at.phase() == Phase.CONNECTED ? EndReason.TRANSFERRED.wire() : EndReason.CALLER_HANGUP.at(at.state()), null);
      }

      /** The callee of a split connection is dropped; the caller goes back to the IVR at the state it is in. */
      @Override
      public Reply connectionSplit(Event.ConnectionSplit split) {
        log(Activity.Kind.SPLIT, split.caller() ? "caller" : "callee");
        if (!split.caller() || at.phase() == Phase.ENDED) {
          return new Reply.Drop(null);
        }
        session = session.at(Position.pending(at.state()));
        return new Reply.ConnectIvr();
      }

      @Override
      public Reply alarm(Event.Alarm alarm) {
        log(Activity.Kind.ALARM, alarm.type() + ": " + alarm.error());
        return new Reply.Ack();
      }

      @Override
      public Reply completed(Event.Completed completed) {
        // A transfer out of the IVR whose /callEvent never came: the caller may have been lost on the way.
        session = session.end(at.phase() == Phase.CONNECTED ? EndReason.TRANSFERRED.wire()
            : at.phase() == Phase.TRANSFERRING ? EndReason.TRANSFER_LOST.at(at.state()) : EndReason.COMPLETED.wire());
        effects.add(new Effect.CallEnded(session.endReason()));
        log(Activity.Kind.COMPLETED, completed.reason());
        return new Reply.Ack();
      }

      @Override
      public Reply recordingReady(Event.RecordingReady ready) {
        Run.this.recordingReady(ready);
        return new Reply.Ack();
      }

      @Override
      public Reply recordingStarted(Event.RecordingStarted started) {
        Run.this.recordingStarted(at, started.file());
        return new Reply.Ack();
      }

      @Override
      public Reply httpResult(Event.HttpResult result) {
        if (at.phase() == Phase.WAITING && at.state().equals(result.state())) {
          Run.this.httpResult((State.Http) flow.state(at.state()), result);
        }
        return new Reply.Ack();
      }

      @Override
      public Reply apiFailed(Event.ApiFailed failed) {
        Run.this.apiFailed(at, failed);
        return new Reply.Ack();
      }

      @Override
      public Reply hangupRequested(Event.HangupRequested hangup) {
        Run.this.hangupRequested(at, hangup.reason());
        return new Reply.Ack();
      }

      @Override
      public Reply gotoRequested(Event.GotoRequested move) {
        Run.this.gotoRequested(at, move.state());
        return new Reply.Ack();
      }
    }

    /**
     * The next IVR command. After a wait (an http state's hold, an operator's move, a hang-up) it also stops the
     * background prompt the wait may have started, so hold music never plays under a menu or a goodbye.
     */
    private Reply ivrRequest(Position at, String digits) {
      Reply reply = command(at, digits);
      boolean afterWait = at.phase() == Phase.WAITING || at.phase() == Phase.SCHEDULED
          || at.phase() == Phase.HANGING_UP;
      return afterWait ? reply.stoppingBackground() : reply;
    }

    private Reply command(Position at, String digits) {
      switch (at.phase()) {
        case PENDING:
          State pending = flow.state(at.state());
          return pending.decidesAlone() ? go(at.state(), CallbackKind.IVR) : pending.accept(new Present(at.state()));
        case PROMPTED:
          return flow.state(at.state()).accept(new Answered(at, digits == null ? "" : digits));
        case SCHEDULED:
          return go(at.state(), CallbackKind.IVR);
        case WAITING:
          if (recordingHere(at)) {
            // A record state holding after a stop that came before startrecording was confirmed.
            return unconfirmed(at.state(), (State.Record) flow.state(at.state()));
          }
          // The hold outlasted the request's timeout: its result was lost (e.g. with the instance that ran it).
          log(Activity.Kind.HTTP_ERROR, "no result before the hold ended");
          return go(((State.Http) flow.state(at.state())).errorOrFailsafe(), CallbackKind.IVR);
        case RECORDING:
          return recorded(at.state(), (State.Record) flow.state(at.state()));
        case HANGING_UP:
          session = session.at(at.ended());
          return command(List.of(), null, true, null, 0);
        case DIALING:
          // The callee answered but /callAnswered has not been seen (lost or late): the IVR talks to it now.
          calleeAnswered(at);
          return go(flow.start(), CallbackKind.IVR);
        case ENDED:
        case TRANSFERRING:
          return command(List.of(), null, true, null, 0);
        default:
          throw new IllegalStateException("getIvrCommand while the call is " + at.phase());
      }
    }

    private Reply calleeAnswered(Position at) {
      switch (at.phase()) {
        case RINGING:
          session = session.at(Position.of(at.state(), Phase.CONNECTED));
          log(Activity.Kind.CONNECTED, null);
          break;
        case DIALING:
          log(Activity.Kind.ANSWERED, session.caller().calledParty());
          armDeadline();
          session = session.at(Position.scheduled(flow.start()));
          break;
        case HANGING_UP:
          hangUp(at);
          break;
        default:
          break;
      }
      return new Reply.Ack();
    }

    /** Follows states that decide by themselves until one needs the caller, the IVR or the network. */
    private Reply go(String target, CallbackKind kind) {
      String id = target;
      for (int hop = 0; hop < MAX_HOPS; hop++) {
        State state = flow.state(id);
        enter(id, state);
        if (Flow.FAILSAFE.equals(id)) {
          session = session.because(EndReason.FAILSAFE.wire());
        }
        if (state.decidesAlone()) {
          id = state.accept(decide);
        } else if (kind == CallbackKind.IVR) {
          return state.accept(new Present(id));
        } else {
          return state.accept(new Connect(id));
        }
      }
      throw new IllegalStateException("more than " + MAX_HOPS + " states in a row without caller input");
    }

    /** Where a state that decides alone leads, and what it changes on the way. */
    private final State.Visitor<String> decide = new State.Visitor<>() {
      @Override
      public String hours(State.Hours hours) {
        return orFailsafe(hoursExit(hours));
      }

      @Override
      public String branch(State.Branch branch) {
        return orFailsafe(branchExit(branch));
      }

      @Override
      public String set(State.Set set) {
        set.vars().forEach((name, value) -> session = session.withVar(name, Template.expand(value, Run.this::lookup)));
        return set.next();
      }

      @Override
      public String language(State.Language language) {
        session = session.speaking(language.speech());
        log(Activity.Kind.LANGUAGE, language.language());
        return language.next();
      }

      @Override
      public String menu(State.Menu menu) {
        throw waits(menu);
      }

      @Override
      public String collect(State.Collect collect) {
        throw waits(collect);
      }

      @Override
      public String play(State.Play play) {
        throw waits(play);
      }

      @Override
      public String forward(State.Forward forward) {
        throw waits(forward);
      }

      @Override
      public String hangup(State.Hangup hangup) {
        throw waits(hangup);
      }

      @Override
      public String record(State.Record record) {
        throw waits(record);
      }

      @Override
      public String http(State.Http http) {
        throw waits(http);
      }

      private IllegalStateException waits(State state) {
        return new IllegalStateException("a " + state.type() + " state does not decide alone");
      }
    };

    /** Inside the IVR: the command for an interactive state. */
    private final class Present implements State.Visitor<Reply> {
      private final String id;

      Present(String id) {
        this.id = id;
      }

      @Override
      public Reply menu(State.Menu menu) {
        return prompt(id, menu.prompt(), menuInput(menu), 0, 0);
      }

      @Override
      public Reply collect(State.Collect collect) {
        return prompt(id, collect.prompt(), collectInput(id, collect), 0, 0);
      }

      @Override
      public Reply play(State.Play play) {
        return prompt(id, play.prompt(), null, 0, 0);
      }

      @Override
      public Reply forward(State.Forward forward) {
        session = session.at(Position.of(id, Phase.TRANSFERRING));
        return command(expand(forward.prompt()), null, true, null, 0);
      }

      @Override
      public Reply hangup(State.Hangup hangup) {
        // The call ends here, in this state: the admin view and the record show where it ended.
        session = session.at(Position.pending(id)).end(EndReason.HANGUP.at(id));
        return command(expand(hangup.prompt()), null, true, null, 0);
      }

      @Override
      public Reply record(State.Record record) {
        return record.prompt().isEmpty() ? startRecording(id, record) : prompt(id, record.prompt(), null, 0, 0);
      }

      @Override
      public Reply http(State.Http http) {
        return fetch(id, http);
      }

      @Override
      public Reply hours(State.Hours hours) {
        throw decided();
      }

      @Override
      public Reply branch(State.Branch branch) {
        throw decided();
      }

      @Override
      public Reply set(State.Set set) {
        throw decided();
      }

      @Override
      public Reply language(State.Language language) {
        throw decided();
      }

      private IllegalStateException decided() {
        return new IllegalStateException("state " + id + " cannot be presented in the IVR");
      }
    }

    /** Outside the IVR (newCall, callEvent): call, drop, or hand the caller to the IVR. */
    private final class Connect implements State.Visitor<Reply> {
      private final String id;

      Connect(String id) {
        this.id = id;
      }

      @Override
      public Reply forward(State.Forward forward) {
        return call(id, forward);
      }

      @Override
      public Reply hangup(State.Hangup hangup) {
        if (!hangup.prompt().isEmpty()) {
          return toIvr();
        }
        session = session.at(Position.pending(id));
        return end(EndReason.HANGUP.at(id), hangup.dropCode());
      }

      @Override
      public Reply menu(State.Menu menu) {
        return toIvr();
      }

      @Override
      public Reply collect(State.Collect collect) {
        return toIvr();
      }

      @Override
      public Reply play(State.Play play) {
        return toIvr();
      }

      @Override
      public Reply hours(State.Hours hours) {
        return toIvr();
      }

      @Override
      public Reply branch(State.Branch branch) {
        return toIvr();
      }

      @Override
      public Reply set(State.Set set) {
        return toIvr();
      }

      @Override
      public Reply language(State.Language language) {
        return toIvr();
      }

      @Override
      public Reply record(State.Record record) {
        return toIvr();
      }

      @Override
      public Reply http(State.Http http) {
        return toIvr();
      }

      private Reply toIvr() {
        if (Flow.FAILSAFE.equals(id)) {
          return end(EndReason.FAILSAFE.wire(), "temporarilyUnavailable");
        }
        session = session.at(Position.pending(id));
        return new Reply.ConnectIvr();
      }
    }

    /** The caller's answer ({@code digits}, empty for none) to the prompt of the state at {@code at}. */
    private final class Answered implements State.Visitor<Reply> {
      private final Position at;
      private final String digits;

      Answered(Position at, String digits) {
        this.at = at;
        this.digits = digits;
      }

      @Override
      public Reply menu(State.Menu menu) {
        if (digits.isEmpty()) {
          return retry(at, menu.noInput(), true, menu.reprompt(), menuInput(menu));
        }
        String target = menu.options().get(digits);
        if (target == null) {
          log(Activity.Kind.INVALID, digits);
          return retry(at, menu.invalid(), false, menu.reprompt(), menuInput(menu));
        }
        log(Activity.Kind.SELECTED, digits);
        return go(target, CallbackKind.IVR);
      }

      @Override
      public Reply collect(State.Collect collect) {
        if (digits.isEmpty()) {
          return retry(at, collect.noInput(), true, collect.prompt(), collectInput(at.state(), collect));
        }
        // Hashed digits cannot be counted: the mediaservice's maxDigits is all that bounds them.
        String salt = collect.encrypt() ? DtmfHash.saltOf(session.vars().get(collect.variable())) : null;
        boolean countable = salt == null || !DtmfHash.isHash(digits);
        if (countable && (digits.length() < collect.minDigits() || digits.length() > collect.maxDigits())) {
          log(Activity.Kind.INVALID, collect.secret() ? Secrets.MASK : digits);
          return retry(at, collect.invalid(), false, collect.prompt(), collectInput(at.state(), collect));
        }
        session = session.withVar(collect.variable(), salt == null ? digits : DtmfHash.collected(salt, digits));
        log(Activity.Kind.COLLECTED, collect.variable() + "=" + (collect.secret() ? Secrets.MASK : digits));
        return go(collect.next(), CallbackKind.IVR);
      }

      @Override
      public Reply play(State.Play play) {
        return go(play.next(), CallbackKind.IVR);
      }

      @Override
      public Reply record(State.Record record) {
        return startRecording(at.state(), record);
      }

      @Override
      public Reply forward(State.Forward forward) {
        throw noInput();
      }

      @Override
      public Reply hours(State.Hours hours) {
        throw noInput();
      }

      @Override
      public Reply branch(State.Branch branch) {
        throw noInput();
      }

      @Override
      public Reply set(State.Set set) {
        throw noInput();
      }

      @Override
      public Reply language(State.Language language) {
        throw noInput();
      }

      @Override
      public Reply hangup(State.Hangup hangup) {
        throw noInput();
      }

      @Override
      public Reply http(State.Http http) {
        throw noInput();
      }

      private IllegalStateException noInput() {
        return new IllegalStateException("state " + at.state() + " does not take input");
      }
    }

    /**
     * The collection of a collect state; an encrypting one gets a fresh salt, which its variable keeps until the
     * hashed digits come (they are kept with it, never in clear).
     */
    private Reply.Input collectInput(String id, State.Collect collect) {
      Reply.Input input = FlowEngine.collectInput(collect);
      if (!collect.encrypt()) {
        return input;
      }
      String salt = DtmfHash.salt(session.callId(), id, now, session.trail().size());
      session = session.withVar(collect.variable(), DtmfHash.pending(salt));
      return new Reply.Input(input.maxDigits(), input.firstTimeout(), input.betweenTimeout(), input.terminationKey(),
          salt);
    }

    /** Counts a no-input or invalid answer: asks again, or leaves by the retry's exit once the tries are used. */
    private Reply retry(Position at, Retry retry, boolean noInput, List<Prompt> reprompt, Reply.Input input) {
      int noInputs = at.noInput() + (noInput ? 1 : 0);
      int invalids = at.invalid() + (noInput ? 0 : 1);
      if (noInput) {
        log(Activity.Kind.NO_INPUT, String.valueOf(noInputs));
      }
      if ((noInput ? noInputs : invalids) >= retry.maxTries()) {
        log(noInput ? Activity.Kind.NO_INPUT_EXHAUSTED : Activity.Kind.INVALID_EXHAUSTED, null);
        return go(retry.exitOrFailsafe(), CallbackKind.IVR);
      }
      List<Prompt> prompts = new ArrayList<>(retry.prompt());
      prompts.addAll(reprompt);
      return prompt(at.state(), prompts, input, noInputs, invalids);
    }

    private Reply prompt(String id, List<Prompt> prompts, Reply.Input input, int noInputs, int invalids) {
      session = session.at(new Position(id, Phase.PROMPTED, noInputs, invalids));
      return command(expand(prompts), input, false, null, 0);
    }

    private Reply call(String id, State.Forward forward) {
      String destination = Template.expand(forward.destination(), this::lookup);
      session = session.at(Position.of(id, Phase.RINGING));
      log(Activity.Kind.FORWARDING, destination);
      String file = forward.record() ? fileName(forward.recordingFile()) : null;
      if (file != null) {
        session = session.withRecording(Recording.started(file, id, now.toEpochMilli()));
      }
      boolean hidden = session.caller().hidden();
      return new Reply.Call(destination, forward.ringTime(), Template.expand(forward.sipFrom(), this::identity),
          Template.expand(forward.displayName(), this::identity), file, hidden);
    }

    /** Voicemail: record the caller on the answered connection until the stop key or maxSeconds. */
    private Reply startRecording(String id, State.Record record) {
      CallIds ids = session.ids();
      if (ids.connectionId() == null || ids.answeredReplyId() == null) {
        log(Activity.Kind.RECORDING_UNAVAILABLE, "no answered connection to record");
        return go(record.failedOrFailsafe(), CallbackKind.IVR);
      }
      String file = fileName(record.file());
      session = session.withRecording(Recording.started(file, id, now.toEpochMilli()))
          .at(Position.of(id, Phase.RECORDING));
      effects.add(new Effect.StartRecording(file));
      log(Activity.Kind.RECORDING, file);
      // Only the stop key ends the collection early: other keys neither reach maxDigits nor a between-key timeout.
      Reply.Input stop = new Reply.Input(RECORDING_MAX_KEYS, record.maxSeconds(), record.maxSeconds(), record.stopKey());
      return command(List.of(), stop, false, null, record.maxSeconds());
    }

    /**
     * The stop key or the recording's end. Only a recording whose start the mediaservice confirmed lets the caller
     * hear the next state ("your message was recorded"); before that (its request still on its way, or its instance
     * stopped while sending it) the caller holds until the start is confirmed or known to have failed.
     */
    private Reply recorded(String id, State.Record record) {
      if (!startConfirmed(id)) {
        session = session.at(Position.of(id, Phase.WAITING));
        log(Activity.Kind.RECORDING_UNCONFIRMED, recordingOf(id));
        return command(List.of(), null, false, null, UNCONFIRMED_HOLD_SECONDS);
      }
      stopRecording(id);
      return go(record.next(), CallbackKind.IVR);
    }

    /** The hold after an unconfirmed stop ran out: the message is not announced as kept. */
    private Reply unconfirmed(String id, State.Record record) {
      stopRecording(id);
      log(Activity.Kind.RECORDING_UNAVAILABLE, "startrecording was never confirmed");
      return go(record.failedOrFailsafe(), CallbackKind.IVR);
    }

    /** Whether the mediaservice confirmed the start of the recording the record state {@code id} began last. */
    private boolean startConfirmed(String id) {
      List<Activity> trail = session.trail();
      for (int i = trail.size() - 1; i >= 0; i--) {
        Activity activity = trail.get(i);
        if (id.equals(activity.state()) && activity.kind() == Activity.Kind.RECORDING_STARTED) {
          return true;
        }
        if (id.equals(activity.state()) && activity.kind() == Activity.Kind.RECORDING) {
          return false;
        }
      }
      return false;
    }

    /** The file of the recording state {@code id} began last, or null. */
    private String recordingOf(String id) {
      return session.recordings().stream().filter(r -> r.state().equals(id)).reduce((a, b) -> b)
          .map(Recording::file).orElse(null);
    }

    /** Whether the call records in the record state it is in, or holds there after an unconfirmed stop. */
    private boolean recordingHere(Position at) {
      return at.phase() == Phase.RECORDING || at.phase() == Phase.WAITING && recordingOf(at.state()) != null;
    }

    /**
     * startrecording was accepted. A caller holding after an unconfirmed stop now hears that the message was kept; a
     * recording that started after the call left its record state (a late request) is stopped at once.
     */
    private void recordingStarted(Position at, String file) {
      log(Activity.Kind.RECORDING_STARTED, file);
      boolean here = recordingHere(at) && file != null && file.equals(recordingOf(at.state()));
      if (here && at.phase() == Phase.WAITING) {
        stopRecording(at.state());
        schedule(((State.Record) flow.state(at.state())).next());
      } else if (!here && at.phase() != Phase.ENDED) {
        effects.add(new Effect.StopRecording(file));
        log(Activity.Kind.RECORDED, file);
      }
    }

    /** Stops the recording the record state {@code id} started. */
    private void stopRecording(String id) {
      String file = recordingOf(id);
      effects.add(new Effect.StopRecording(file));
      log(Activity.Kind.RECORDED, file);
    }

    private void recordingReady(Event.RecordingReady ready) {
      Recording known = session.recordings().stream().filter(r -> r.file().equals(ready.file())).findFirst()
          .orElse(Recording.started(ready.file(), session.at().state(), now.toEpochMilli()));
      session = session.withRecording(known.ready(ready.outcome(), ready.bytes(), ready.reason()));
      log(Activity.Kind.RECORDING_READY, ready.file() + " " + ready.outcome() + (ready.reason() == null ? "" : ": " + ready.reason()));
    }

    /** An http state: the caller holds while the shell runs the request; its result schedules ok or error. */
    private Reply fetch(String id, State.Http http) {
      Map<String, String> headers = new LinkedHashMap<>();
      // ${env:NAME} stays as it is: the shell puts the secret in as the request leaves (EnvironmentReferences).
      http.headers().forEach((name, value) -> headers.put(name, Template.expand(value,
          n -> n.startsWith(ENV_REFERENCE) ? "${" + n + "}" : headerSafe(lookup(n)))));
      String url = Template.expand(http.url(), n -> urlEncoded(lookup(n)));
      String body = Template.expand(http.body(), n -> jsonEscaped(lookup(n)));
      session = session.at(Position.of(id, Phase.WAITING));
      effects.add(new Effect.HttpFetch(id, http.method(), url, headers, body, http.timeout() * 1000));
      log(Activity.Kind.REQUESTED, http.method());
      Prompt hold = http.hold() == null ? null : heard(http.hold());
      // The hold outlasts the request's timeout, so the result (or its error) normally arrives first.
      return command(expand(http.prompt()), null, false, hold, http.timeout() + HOLD_MARGIN_SECONDS);
    }

    private void httpResult(State.Http http, Event.HttpResult result) {
      String problem = result.error() != null ? result.error()
          : result.status() < 200 || result.status() > 299 ? "status " + result.status() : null;
      if (problem == null && !http.map().isEmpty()) {
        problem = mapInto(http.map(), result.body());
      }
      if (problem != null) {
        log(Activity.Kind.HTTP_ERROR, problem);
      } else {
        log(Activity.Kind.HTTP_OK, String.valueOf(result.status()));
      }
      schedule(problem == null ? http.ok() : http.errorOrFailsafe());
    }

    /** Copies the answer's fields into variables; a message when the answer is not JSON. */
    private String mapInto(Map<String, String> map, String body) {
      JsonNode tree;
      try {
        tree = body == null ? null : JSON.readTree(body);
      } catch (IOException e) {
        tree = null;
      }
      if (tree == null) {
        return "the answer is not JSON";
      }
      for (Map.Entry<String, String> entry : map.entrySet()) {
        JsonNode value = tree.at(entry.getValue());
        if (!value.isMissingNode() && !value.isNull()) {
          String text = value.isValueNode() ? value.asText() : value.toString();
          session = session.withVar(entry.getKey(), text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) : text);
        }
      }
      return null;
    }

    private void apiFailed(Position at, Event.ApiFailed failed) {
      log(Activity.Kind.API_FAILED, failed.operation() + ": " + failed.detail());
      if (failed.operation().equals("placeivrcall") && at.phase() == Phase.DIALING) {
        session = session.end((failed.unknown() ? EndReason.PLACE_UNKNOWN : EndReason.PLACE_FAILED).wire());
        effects.add(new Effect.CallEnded(session.endReason()));
      } else if (failed.operation().equals("startrecording") && recordingHere(at)) {
        if (failed.unknown()) {
          // It may have started: stopped, so that nothing records on unheard.
          stopRecording(at.state());
        }
        schedule(((State.Record) flow.state(at.state())).failedOrFailsafe());
      } else if (failed.operation().equals("hangupparticipant") && at.phase() == Phase.HANGING_UP
          && session.ids().ivrReplyId() != null) {
        // The IVR may still hold the caller: end it there at the next getIvrCommand.
        effects.add(new Effect.Interrupt());
      }
    }

    /** Ends the call from callflow's side as soon as the mediaservice lets it (see {@link #hangUp}). */
    private void hangupRequested(Position at, EndReason reason) {
      if (at.phase() == Phase.ENDED || at.phase() == Phase.HANGING_UP) {
        return;
      }
      log(Activity.Kind.HANGUP_REQUESTED, reason.wire());
      session = session.because(reason.at(at.state()))
          .at(new Position(at.state(), Phase.HANGING_UP, at.noInput(), at.invalid()));
      if (recordingHere(at)) {
        stopRecording(at.state());
      }
      hangUp(at);
    }

    /**
     * hangupparticipant when the person's participant and an answered replyId are known; otherwise, in the IVR, an
     * interrupt so that the next getIvrCommand hangs up; otherwise the next callback of the call ends it.
     */
    private void hangUp(Position at) {
      CallIds ids = session.ids();
      String person = session.direction() == Session.Direction.INBOUND ? ids.callerParticipantId()
          : ids.calleeParticipantId();
      if (person != null && ids.answeredReplyId() != null) {
        effects.add(new Effect.Hangup(person));
      } else if (at.inIvr() && ids.ivrReplyId() != null) {
        effects.add(new Effect.Interrupt());
      }
    }

    private void gotoRequested(Position at, String target) {
      if (!at.inIvr()) {
        log(Activity.Kind.MOVE_REFUSED, target);
        return;
      }
      if (recordingHere(at)) {
        stopRecording(at.state());
      }
      log(Activity.Kind.MOVED, target);
      schedule(target);
    }

    /** The call goes to {@code target} at the next getIvrCommand, which an interrupt brings at once. */
    private void schedule(String target) {
      session = session.at(Position.scheduled(target));
      if (session.ids().ivrReplyId() != null) {
        effects.add(new Effect.Interrupt());
      }
    }

    private void armDeadline() {
      if (flow.maxDuration() != null) {
        Instant deadline = now.plusSeconds(flow.maxDuration());
        session = session.withDeadline(deadline);
        effects.add(new Effect.Deadline(deadline.toEpochMilli()));
      }
    }

    /** A recording file name from its template: only characters prompt storage accepts survive. */
    private String fileName(String template) {
      return Template.expand(template, this::lookup).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private Reply calleeFailed(String id, int sipCode) {
      State.Forward forward = (State.Forward) flow.state(id);
      String outcome = outcome(sipCode);
      String exit = switch (outcome) {
        case "busy" -> forward.busy();
        case "noAnswer" -> forward.noAnswer();
        default -> forward.failed();
      };
      return exit == null ? end(EndReason.FORWARD.at(outcome), "busy".equals(outcome) ? "busy" : null) : go(exit, CallbackKind.CALL_EVENT);
    }

    /** busy, noAnswer or failed, by the SIP status of a failed call set-up. */
    private String outcome(int sipCode) {
      String outcome = switch (sipCode) {
        case 486, 600, 603 -> "busy";
        case 408, 480, 487 -> "noAnswer";
        default -> "failed";
      };
      log(Activity.Kind.of(outcome), String.valueOf(sipCode));
      return outcome;
    }

    private Reply calledPartyLeft(Position at) {
      switch (at.phase()) {
        case HANGING_UP:
          return end(session.endReason(), null);
        case TRANSFERRING:
          return call(at.state(), (State.Forward) flow.state(at.state()));
        case RINGING:
          return calleeFailed(at.state(), 0);
        case CONNECTED:
          log(Activity.Kind.CALLEE_HANGUP, null);
          String after = ((State.Forward) flow.state(at.state())).after();
          session = session.because(EndReason.TRANSFERRED.wire());
          return after == null ? end(EndReason.TRANSFERRED.wire(), null) : go(after, CallbackKind.CALL_EVENT);
        default:
          return end(EndReason.IVR_HANGUP.at(at.state()), null);
      }
    }

    Reply failsafe(CallbackKind kind, String cause) {
      effects.add(new Effect.FailsafeTaken(cause));
      log(Activity.Kind.FAILSAFE, cause);
      session = session.because(EndReason.FAILSAFE.wire());
      if (kind == CallbackKind.NOTIFY) {
        return new Reply.Ack();
      }
      return go(Flow.FAILSAFE, kind);
    }

    private Reply end(String reason, String dropCode) {
      session = session.end(reason);
      return new Reply.Drop(dropCode);
    }

    private void enter(String id, State state) {
      effects.add(new Effect.StateEntered(id, state.type()));
      log(Activity.Kind.ENTERED, null, id);
    }

    private String hoursExit(State.Hours hours) {
      OfficeHours.Verdict verdict = OfficeHours.at(hours, now);
      log(Activity.Kind.valueOf(verdict.name()), null);
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

    private static String orFailsafe(String target) {
      return target == null ? Flow.FAILSAFE : target;
    }

    private List<Prompt> expand(List<Prompt> prompts) {
      return prompts.stream().map(this::heard).toList();
    }

    /** A prompt as the caller hears it: placeholders filled in, a file from the folder the call chose. */
    private Prompt heard(Prompt prompt) {
      Prompt expanded = prompt.expand(this::lookup);
      return session.speech() == null ? expanded : session.speech().apply(expanded);
    }

    /** An IVR command, spoken as the call chose (a language state), if it did. */
    private Reply command(List<Prompt> prompts, Reply.Input input, boolean hangup, Prompt background, int waitSeconds) {
      return new Reply.Command(prompts, input, hangup, background, waitSeconds, false, session.speech());
    }

    /**
     * {@link #lookup} for what goes into outgoing SIP identity (sipFrom, displayName): a private caller's number,
     * name and headers render as anonymous there (mediaservice-protocol.md, identity and privacy).
     */
    private String identity(String name) {
      boolean callerData = name.equals("callingParty") || name.equals("callerName") || name.startsWith("header.");
      return session.caller().hidden() && callerData ? Caller.ANONYMOUS : lookup(name);
    }

    /** Caller data by fixed names, inbound headers as header.NAME, then flow variables. */
    private String lookup(String name) {
      switch (name) {
        case "callId":
          return session.callId();
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

    private void log(Activity.Kind kind, String detail) {
      log(kind, detail, session.at().state());
    }

    private void log(Activity.Kind kind, String detail, String state) {
      session = session.log(new Activity(now, state, kind, detail));
    }
  }

  static String urlEncoded(String value) {
    return value == null ? null : URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Caller data inside a JSON string: quotes, backslashes and control characters escaped. */
  static String jsonEscaped(String value) {
    if (value == null) {
      return null;
    }
    String quoted = JsonNodeFactory.instance.textNode(value).toString();
    return quoted.substring(1, quoted.length() - 1);
  }

  /** No line breaks in a header value, so caller data cannot add headers. */
  static String headerSafe(String value) {
    return value == null ? null : value.replaceAll("[\\r\\n]", " ");
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

}
