package io.callflow.flow;

import static io.callflow.Fixtures.MONDAY_10;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives one call through the pure engine for tests: keeps the session, records replies and effects. */
final class Calls {

  /** A Monday, 10:00 in Stockholm. */

  private final FlowEngine engine = new FlowEngine();
  final Flow flow;
  Session session;
  Instant now = MONDAY_10;
  final List<Effect> effects = new ArrayList<>();

  Calls(Flow flow, Caller caller) {
    this.flow = flow;
    this.session = Session.start("call-1", flow.id(), flow.version(), Session.Direction.INBOUND, caller,
        CallIds.of("call-1", null), flow.start(), now);
  }

  static Calls of(String json) {
    return of(json, new Caller("+46701234567", "+46800000001", "Ada", Map.of("x-tier", "gold")));
  }

  static Calls of(String json, Caller caller) {
    try {
      return new Calls(new FlowParser().parse("test", json.getBytes(StandardCharsets.UTF_8)), caller);
    } catch (FlowException e) {
      throw new IllegalArgumentException(e.problems().toString(), e);
    }
  }

  Reply send(Event event) {
    Step step = engine.step(flow, session, event, now);
    session = step.next();
    effects.addAll(step.effects());
    return step.reply();
  }

  Reply start() {
    return send(new Event.CallStarted());
  }

  Reply ivr(String digits) {
    return send(new Event.IvrRequest(digits));
  }

  /** What a command says, prompts joined with " | " (file prompts as file:NAME). */
  static String said(Reply reply) {
    Reply.Command command = (Reply.Command) reply;
    return String.join(" | ", command.prompts().stream()
        .map(p -> p.say() != null ? p.say() : p.file() != null ? "file:" + p.file() : "url:" + p.url()).toList());
  }

  String state() {
    return session.at().state();
  }
}
