package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.call.FlowHistory;
import io.callflow.flow.FlowException;
import io.callflow.flow.FlowRegistry;
import io.callflow.flow.FlowValidator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Drafts, publishing, history and rollback of a flow (see {@link FlowHistory}); the author of a version is the name
 * of the token that published it.
 */
final class StudioHistoryHandler {

  private final Vertx vertx;
  private final FlowRegistry flows;
  private final FlowHistory history;
  private final FlowValidator validator;

  StudioHistoryHandler(Vertx vertx, FlowRegistry flows, FlowHistory history, FlowValidator validator) {
    this.validator = validator;
    this.vertx = vertx;
    this.flows = flows;
    this.history = history;
  }

  /** GET /api/flows/{id}/draft: {source, savedAt}; 404 when there is none. */
  void draft(RoutingContext ctx) {
    String id = id(ctx);
    vertx.executeBlocking(() -> history.draft(id), false).onSuccess(draft -> {
      if (draft.isEmpty()) {
        Responses.error(ctx, 404, "flow '" + id + "' has no draft");
      } else {
        Responses.json(ctx, new JsonObject().put("source", new String(draft.get().source(), StandardCharsets.UTF_8))
            .put("savedAt", draft.get().savedAt().toString()).encode());
      }
    }).onFailure(ctx::fail);
  }

  /** PUT /api/flows/{id}/draft (the flow as body, finished or not): saved; serves no call. Answers its findings. */
  void saveDraft(RoutingContext ctx) {
    String id = id(ctx);
    byte[] source = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    vertx.executeBlocking(() -> {
      FlowHistory.Draft draft = history.saveDraft(id, source);
      return StudioFlowsHandler.checked(source, validator).put("savedAt", draft.savedAt().toString());
    }, false).onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  void dropDraft(RoutingContext ctx) {
    String id = id(ctx);
    vertx.executeBlocking(() -> history.dropDraft(id), false)
        .onSuccess(dropped -> ctx.response().setStatusCode(dropped ? 204 : 404).end()).onFailure(ctx::fail);
  }

  /** POST /api/flows/{id}/publish {"comment", "source"?}: publishes the source given, else the draft. */
  void publish(RoutingContext ctx) {
    String id = id(ctx);
    JsonObject body = RequestBodies.object(ctx);
    String comment = RequestBodies.string(body, "comment", false);
    Object given = body.getValue("source");
    String author = author(ctx);
    vertx.executeBlocking(() -> {
      byte[] source = given instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
          : history.draft(id).orElseThrow(() -> new BadCallback(404, "flow '" + id + "' has no draft to publish"))
              .source();
      return published(() -> history.publish(id, source, author, comment));
    }, false).onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  /** POST /api/flows/{id}/rollback {"to": number, "comment"?}: publishes that version again. */
  void rollback(RoutingContext ctx) {
    String id = id(ctx);
    JsonObject body = RequestBodies.object(ctx);
    int number = RequestBodies.integer(body, "to", 1, Integer.MAX_VALUE);
    String comment = RequestBodies.string(body, "comment", false);
    String author = author(ctx);
    vertx.executeBlocking(() -> {
      if (history.source(id, number).isEmpty()) {
        throw new BadCallback(404, "flow '" + id + "' has no published version " + number);
      }
      return published(() -> history.rollback(id, number, author, comment));
    }, false).onSuccess(out -> Responses.json(ctx, out.encode())).onFailure(ctx::fail);
  }

  /** GET /api/flows/{id}/history: every published version, newest first, the one serving marked current. */
  void list(RoutingContext ctx) {
    String id = id(ctx);
    String current = flows.current(id).map(f -> f.version()).orElse(null);
    vertx.executeBlocking(() -> history.published(id), false).onSuccess(all -> {
      JsonArray items = new JsonArray();
      int latestCurrent = all.stream().filter(p -> p.version().equals(current))
          .mapToInt(FlowHistory.Published::number).max().orElse(-1);
      for (int i = all.size() - 1; i >= 0; i--) {
        FlowHistory.Published p = all.get(i);
        items.add(json(p).put("current", p.number() == latestCurrent));
      }
      Responses.json(ctx, new JsonObject().put("count", items.size()).put("items", items).encode());
    }).onFailure(ctx::fail);
  }

  /** GET /api/flows/{id}/history/{number}: that version's file as it was published. */
  void source(RoutingContext ctx) {
    String id = id(ctx);
    int number;
    try {
      number = Integer.parseInt(ctx.pathParam("number"));
    } catch (NumberFormatException e) {
      throw new BadCallback(404, "no published version '" + ctx.pathParam("number") + "'");
    }
    vertx.executeBlocking(() -> history.source(id, number), false).onSuccess(source -> {
      if (source.isEmpty()) {
        Responses.error(ctx, 404, "flow '" + id + "' has no published version " + number);
      } else {
        Responses.json(ctx, new String(source.get(), StandardCharsets.UTF_8));
      }
    }).onFailure(ctx::fail);
  }

  private interface Publishing {
    FlowHistory.Published run() throws Exception;
  }

  /** Runs a publish; errors of the flow are a 400 listing them all, a number taken by another flow a 409. */
  private static JsonObject published(Publishing publishing) throws Exception {
    try {
      return json(publishing.run());
    } catch (FlowException e) {
      throw new BadCallback("the flow has errors: " + String.join("; ", e.problems()));
    } catch (FlowHistory.NotInstalled e) {
      throw new BadCallback(409, e.getMessage());
    }
  }

  private static JsonObject json(FlowHistory.Published p) {
    return new JsonObject().put("number", p.number()).put("version", p.version())
        .put("publishedAt", p.publishedAt().toString()).put("author", p.author()).put("comment", p.comment());
  }

  private static String author(RoutingContext ctx) {
    AdminAuth.Identity who = ctx.get(AdminAuth.IDENTITY);
    return who == null ? "admin" : who.name();
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw new BadCallback(404, "no flow '" + id + "'");
    }
    return id;
  }
}
