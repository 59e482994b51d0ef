package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.FlowHistory;
import io.callflow.call.FlowWatcher;
import io.callflow.flow.Caller;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowCoverage;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.FlowSimulation;
import io.callflow.flow.FlowValidator;
import io.callflow.session.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the studio reads and tries: the flows with their live calls and last change, a flow's graph and findings,
 * the check of an edited flow, the offline simulator and coverage on the server, and the per-state funnel.
 */
final class StudioFlowsHandler {

  private final Vertx vertx;
  private final FlowRegistry flows;
  private final FlowHistory history;
  private final SessionStore store;
  private final MeterRegistry meters;
  private final FlowWatcher files;

  StudioFlowsHandler(Vertx vertx, FlowRegistry flows, FlowHistory history, SessionStore store, MeterRegistry meters,
                     FlowWatcher files) {
    this.vertx = vertx;
    this.flows = flows;
    this.history = history;
    this.store = store;
    this.meters = meters;
    this.files = files;
  }

  /** GET /api/studio/flows: every flow with numbers, version, live calls, last change and whether a draft waits. */
  void overview(RoutingContext ctx) {
    store.liveCallsByVersion().compose(live -> vertx.executeBlocking(() -> {
      JsonArray items = new JsonArray();
      for (Flow flow : flows.all().stream().sorted(Comparator.comparing(Flow::id)).toList()) {
        int calls = live.entrySet().stream().filter(e -> e.getKey().startsWith(flow.id() + "@"))
            .mapToInt(Map.Entry::getValue).sum();
        List<FlowHistory.Published> published = history.published(flow.id());
        FlowHistory.Published last = published.isEmpty() ? null : published.get(published.size() - 1);
        items.add(new JsonObject().put("id", flow.id()).put("name", flow.name()).put("description", flow.description())
            .put("numbers", new JsonArray(flow.numbers())).put("version", flow.version())
            .put("number", last == null ? null : last.number()).put("liveCalls", calls)
            .put("lastChange", last == null ? null : last.publishedAt().toString())
            .put("lastAuthor", last == null ? null : last.author())
            .put("draft", history.draft(flow.id()).isPresent()));
      }
      return new JsonObject().put("count", items.size()).put("items", items);
    }, false)).onSuccess(json -> Responses.json(ctx, json.encode())).onFailure(ctx::fail);
  }

  /** GET /api/flows/{id}/graph: the current version's source, graph and findings. */
  void current(RoutingContext ctx) {
    Flow flow = flow(ctx);
    vertx.executeBlocking(() -> {
      byte[] source = Files.readAllBytes(files.fileOf(flow.id()));
      StudioFindings.Checked checked = StudioFindings.check(source, files.validator());
      return new JsonObject().put("id", flow.id()).put("version", flow.version())
          .put("source", new String(source, StandardCharsets.UTF_8)).put("graph", StudioGraph.of(flow, source))
          .put("findings", checked.findings());
    }, false).onSuccess(json -> Responses.json(ctx, json.encode())).onFailure(ctx::fail);
  }

  /** POST /api/flows/check (the flow as body): findings as the editor marks them, and the graph when it parses. */
  void check(RoutingContext ctx) {
    byte[] json = body(ctx);
    vertx.executeBlocking(() -> checked(json, files.validator()), false)
        .onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  static JsonObject checked(byte[] json, FlowValidator validator) {
    StudioFindings.Checked checked = StudioFindings.check(json, validator);
    return new JsonObject().put("valid", checked.valid()).put("findings", checked.findings())
        .put("graph", checked.flow() == null ? null : StudioGraph.of(checked.flow(), json));
  }

  /**
   * POST /api/flows/simulate {"source", "from", "to", "at", "dtmf": "2,12#", "callee"}: one call through the real
   * engine, offline: its transcript, the states it entered and how it ended.
   */
  void simulate(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    List<String> keys = keys(body.getString("dtmf"));
    FlowSimulation.Callee callee = callee(body.getString("callee"));
    // Parsing a flow may load the schema validator's classes: never on the event loop.
    vertx.executeBlocking(() -> {
      Trial trial = trial(body);
      FlowSimulation call = new FlowSimulation(trial.flow(), trial.caller(), trial.at(), keys, Map.of(), callee);
      List<String> transcript = call.run();
      return new JsonObject().put("transcript", new JsonArray(transcript)).put("path", new JsonArray(call.path()))
          .put("end", call.endReason());
    }, false).onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  /** POST /api/flows/coverage {"source", "from", "to", "at"}: what no call reaches, exploring every choice. */
  void coverage(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx);
    vertx.executeBlocking(() -> {
      Trial trial = trial(body);
      FlowCoverage.Report report = new FlowCoverage(trial.flow(), trial.caller(), trial.at()).explore();
      return new JsonObject().put("runs", report.runs()).put("items", report.items())
          .put("missed", new JsonArray(List.copyOf(report.missed())));
    }, false).onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  /**
   * GET /api/flows/{id}/funnel: per state since start (all versions): calls that entered it, hung up there, timed
   * out (no input), pressed an invalid key, were transferred from it.
   */
  void funnel(RoutingContext ctx) {
    String id = flow(ctx).id();
    JsonObject states = new JsonObject();
    count(states, meters.find("callflow.states.entered").tag("flow", id).counters(), "entered");
    count(states, meters.find("callflow.states.no_input").tag("flow", id).counters(), "noInput");
    count(states, meters.find("callflow.states.invalid").tag("flow", id).counters(), "invalid");
    count(states, meters.find("callflow.states.ended").tag("flow", id).tag("reason", "callerHangup").counters(),
        "hungUp");
    count(states, meters.find("callflow.states.ended").tag("flow", id).tag("reason", "transferred").counters(),
        "transferred");
    Responses.json(ctx, new JsonObject().put("flow", id).put("states", states).encode());
  }

  private static void count(JsonObject states, java.util.Collection<Counter> counters, String what) {
    for (Counter counter : counters) {
      String state = counter.getId().getTag("state");
      JsonObject row = states.getJsonObject(state);
      if (row == null) {
        row = new JsonObject();
        states.put(state, row);
      }
      row.put(what, row.getLong(what, 0L) + (long) counter.count());
    }
  }

  /** A flow to try (the source given, else the flow's current version) and who calls it when. */
  private record Trial(Flow flow, Caller caller, Instant at) {
  }

  private Trial trial(JsonObject body) {
    Flow flow;
    Object source = body.getValue("source");
    if (source instanceof String text) {
      StudioFindings.Checked checked = StudioFindings.check(text.getBytes(StandardCharsets.UTF_8), files.validator());
      if (checked.flow() == null) {
        throw new BadCallback("the flow does not parse: " + checked.findings().getJsonObject(0).getString("message"));
      }
      flow = checked.flow();
    } else {
      String id = RequestBodies.string(body, "flow", true);
      flow = flows.current(id).orElseThrow(() -> new BadCallback(404, "no flow '" + id + "'"));
    }
    String from = body.getString("from") == null || body.getString("from").isBlank() ? "+46700000000"
        : RequestBodies.string(body, "from", true);
    String to = body.getString("to") == null || body.getString("to").isBlank()
        ? flow.numbers().isEmpty() ? "+46800000000" : flow.numbers().get(0) : RequestBodies.string(body, "to", true);
    Instant at;
    try {
      String when = body.getString("at");
      at = when == null || when.isBlank() ? Instant.now() : OffsetDateTime.parse(when).toInstant();
    } catch (DateTimeParseException | ClassCastException e) {
      throw new BadCallback("'at' must be a date and time with offset, like 2026-11-23T10:00:00+01:00");
    }
    return new Trial(flow, new Caller(from, to, null, Map.of()), at);
  }

  /** "2,12#,timeout" as the simulate command takes it. */
  private static List<String> keys(String dtmf) {
    if (dtmf == null || dtmf.isBlank()) {
      return List.of();
    }
    if (dtmf.length() > 1000 || !dtmf.matches("[0-9*#, a-z]*")) {
      throw new BadCallback("'dtmf' is keys (0-9, *, #) or 'timeout', separated by commas");
    }
    return Arrays.stream(dtmf.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
  }

  private static FlowSimulation.Callee callee(String callee) {
    try {
      return callee == null ? FlowSimulation.Callee.ANSWER : FlowSimulation.Callee.valueOf(callee.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadCallback("'callee' is answer, busy, noanswer or fail");
    }
  }

  private Flow flow(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return flows.current(id).orElseThrow(() -> new BadCallback(404, "no flow '" + id + "'"));
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }
}
