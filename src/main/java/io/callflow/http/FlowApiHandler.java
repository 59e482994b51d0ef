package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.FlowHistory;
import io.callflow.call.FlowWatcher;
import io.callflow.flow.Finding;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowDiagram;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowParser;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.FlowValidator;
import io.callflow.flow.PortsipImport;
import io.callflow.flow.SmartfloImport;
import io.callflow.session.SessionStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flow API: list (with filter, search, orderby, skip, top as {count, items}), read, write and delete flows,
 * validate without saving, list versions, draw the diagram. Writes go to the flows directory, which stays the
 * source of truth, and are validated first.
 */
final class FlowApiHandler {

  private static final Pattern FILTER = Pattern.compile("(id|name|number)\\s+eq\\s+'([^']*)'");
  private static final int MAX_TOP = 1000;
  private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Vertx vertx;
  private final FlowRegistry flows;
  private final FlowWatcher files;
  private final SessionStore store;
  private final FlowParser parser = new FlowParser();
  private final FlowValidator validator;
  private final FlowHistory history;

  FlowApiHandler(Vertx vertx, FlowRegistry flows, FlowWatcher files, SessionStore store, FlowValidator validator,
                 FlowHistory history) {
    this.validator = validator;
    this.history = history;
    this.vertx = vertx;
    this.flows = flows;
    this.files = files;
    this.store = store;
  }

  /** GET /api/flows?filter=id eq 'x'|name eq 'x'|number eq '+46…'&search=text&orderby=id|name [desc]&skip&top */
  void list(RoutingContext ctx) {
    Predicate<Flow> filter = filter(ctx.queryParams().get("filter"));
    String search = ctx.queryParams().get("search");
    int skip = intParam(ctx, "skip", 0, Integer.MAX_VALUE);
    int top = intParam(ctx, "top", 100, MAX_TOP);
    List<Flow> matching = flows.all().stream().filter(filter)
        .filter(f -> search == null || text(f).contains(search.toLowerCase(Locale.ROOT)))
        .sorted(order(ctx.queryParams().get("orderby"))).toList();
    JsonArray items = new JsonArray();
    matching.stream().skip(skip).limit(top).forEach(f -> items.add(summary(f)));
    Responses.json(ctx, new JsonObject().put("count", matching.size()).put("items", items).encode());
  }

  void get(RoutingContext ctx) {
    Flow flow = flow(ctx);
    vertx.executeBlocking(() -> Files.readString(files.fileOf(flow.id())))
        .onSuccess(text -> Responses.json(ctx, summary(flow).put("definition", new JsonObject(text)).encode()))
        .onFailure(ctx::fail);
  }

  /** PUT /api/flows/{id}: validated first; then written whole to the flows directory and installed. */
  void put(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    byte[] json = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Flow flow = checked(id + ".json", json);
    if (!flow.id().equals(id)) {
      throw new BadCallback("the flow's id '" + flow.id() + "' differs from the path's '" + id + "'");
    }
    AdminAuth.Identity who = ctx.get(AdminAuth.IDENTITY);
    vertx.executeBlocking(() -> {
      // In the history as the token's, not as a hand edit.
      history.attributed(id, flow.version(), who == null ? "admin" : who.name(), "PUT /api/flows/" + id,
          () -> files.write(id, json));
      return flows.current(id).map(Flow::version).orElse(null);
    }).onSuccess(version -> {
      if (!flow.version().equals(version)) {
        Responses.error(ctx, 409, "saved, but not installed: another flow already answers one of its numbers");
      } else {
        Responses.json(ctx, summary(flow).encode());
      }
    }).onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    String id = flow(ctx).id();
    vertx.executeBlocking(() -> files.delete(id)).onSuccess(deleted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** POST /api/flows/validate: the findings for a flow, nothing saved. */
  void validate(RoutingContext ctx) {
    byte[] json = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    JsonArray findings = new JsonArray();
    try {
      Flow flow = parser.parse("flow", json);
      validator.check("flow", flow).forEach(f -> findings.add(finding(f)));
    } catch (FlowException e) {
      e.problems().forEach(p -> findings.add(new JsonObject().put("severity", "error").put("problem", p)));
    }
    boolean valid = findings.stream().noneMatch(f -> "error".equals(((JsonObject) f).getString("severity")));
    Responses.json(ctx, new JsonObject().put("valid", valid).put("findings", findings).encode());
  }

  /** POST /api/flows/import/{smartflo|portsip}?sipDomain=…: the converted flow and what was not mapped; not saved. */
  void importFlow(RoutingContext ctx) {
    com.fasterxml.jackson.databind.JsonNode source;
    try {
      source = READER.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (java.io.IOException e) {
      source = null;
    }
    if (source == null || !source.isObject()) {
      throw new BadCallback("expected an IVR definition as a JSON object");
    }
    String domain = ctx.queryParams().get("sipDomain") == null ? "pbx.example.com" : ctx.queryParams().get("sipDomain");
    SmartfloImport.Result result;
    switch (ctx.pathParam("format")) {
      case "smartflo" -> result = new SmartfloImport(domain).convert(source);
      case "portsip" -> {
        try {
          result = new PortsipImport(domain).convert(source);
        } catch (IllegalArgumentException refused) {
          throw new BadCallback("import refused: " + refused.getMessage());
        }
      }
      default -> throw new BadCallback(404, "no importer for '" + ctx.pathParam("format") + "'; use smartflo or portsip");
    }
    Responses.json(ctx, new JsonObject().put("flow", new JsonObject(result.flow().toString()))
        .put("unmapped", new JsonArray(result.unmapped())).encode());
  }

  void versions(RoutingContext ctx) {
    Flow current = flow(ctx);
    store.liveCallsByVersion().onSuccess(live -> {
      JsonArray items = new JsonArray();
      flows.versions(current.id()).forEach(v -> items.add(new JsonObject().put("version", v.flow().version())
          .put("loadedAt", v.loadedAt().toString()).put("current", v.flow().version().equals(current.version()))
          .put("liveCalls", live.getOrDefault(current.id() + "@" + v.flow().version(), 0))));
      Responses.json(ctx, new JsonObject().put("count", items.size()).put("items", items).encode());
    }).onFailure(ctx::fail);
  }

  void diagram(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(FlowDiagram.mermaid(flow(ctx)));
  }

  private Flow flow(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return flows.current(id).orElseThrow(() -> new BadCallback(404, "no flow '" + id + "'"));
  }

  /** Parses and validates; any error is a 400 listing every problem. */
  private Flow checked(String source, byte[] json) {
    try {
      Flow flow = parser.parse(source, json);
      List<String> errors = validator.check(source, flow).stream()
          .filter(f -> f.severity() == Finding.Severity.ERROR).map(Finding::toString).toList();
      if (!errors.isEmpty()) {
        throw new BadCallback("the flow has errors: " + String.join("; ", errors));
      }
      return flow;
    } catch (FlowException e) {
      throw new BadCallback("the flow has errors: " + String.join("; ", e.problems()));
    }
  }

  private JsonObject summary(Flow flow) {
    List<FlowRegistry.Version> versions = flows.versions(flow.id());
    String loadedAt = versions.stream().filter(v -> v.flow().version().equals(flow.version()))
        .map(v -> v.loadedAt().toString()).findFirst().orElse(null);
    return new JsonObject().put("id", flow.id()).put("name", flow.name()).put("description", flow.description())
        .put("numbers", new JsonArray(flow.numbers())).put("version", flow.version()).put("loadedAt", loadedAt);
  }

  private static JsonObject finding(Finding finding) {
    return new JsonObject().put("severity", finding.severity().name().toLowerCase(Locale.ROOT))
        .put("pointer", finding.pointer()).put("message", finding.message()).put("hint", finding.hint());
  }

  private static Predicate<Flow> filter(String filter) {
    if (filter == null || filter.isBlank()) {
      return flow -> true;
    }
    Matcher m = FILTER.matcher(filter.trim());
    if (!m.matches()) {
      throw new BadCallback("filter must be: id eq '…', name eq '…' or number eq '…'");
    }
    String value = m.group(2);
    switch (m.group(1)) {
      case "id":
        return flow -> flow.id().equals(value);
      case "name":
        return flow -> value.equals(flow.name());
      default:
        return flow -> flow.numbers().stream().anyMatch(n -> n.replace("+", "").equals(value.replace("+", "")));
    }
  }

  private static Comparator<Flow> order(String orderby) {
    if (orderby == null || orderby.isBlank()) {
      return Comparator.comparing(Flow::id);
    }
    String[] parts = orderby.trim().split("\\s+");
    Map<String, Comparator<Flow>> fields = Map.of(
        "id", Comparator.comparing(Flow::id),
        "name", Comparator.comparing((Flow f) -> f.name() == null ? "" : f.name()).thenComparing(Flow::id));
    Comparator<Flow> by = fields.get(parts[0]);
    if (by == null || parts.length > 2 || parts.length == 2 && !parts[1].matches("asc|desc")) {
      throw new BadCallback("orderby must be: id or name, optionally followed by asc or desc");
    }
    return parts.length == 2 && parts[1].equals("desc") ? by.reversed() : by;
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int max) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number < 0 || number > max) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new BadCallback(name + " must be a whole number from 0 to " + max);
    }
  }

  private static String text(Flow flow) {
    return (flow.id() + " " + flow.name() + " " + flow.description()).toLowerCase(Locale.ROOT);
  }
}
