package io.callflow.http;

import io.callflow.call.BadCallback;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Reads the JSON bodies of the admin and intake APIs strictly: every problem is a 400 that names the field. */
final class RequestBodies {

  private static final int MAX_TEXT = 1000;

  private RequestBodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new BadCallback("Content-Type must be application/json");
    }
    try {
      Object body = ctx.body().buffer() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (body instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw new BadCallback("malformed JSON: " + e.getMessage());
    }
    throw new BadCallback("expected a JSON object");
  }

  /** A text field of at most 1000 characters; null when absent and not {@code required}. */
  static String string(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw new BadCallback("'" + field + "' is required");
      }
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new BadCallback("'" + field + "' must be non-empty text");
    }
    if (text.length() > MAX_TEXT) {
      throw new BadCallback("'" + field + "' is longer than " + MAX_TEXT + " characters");
    }
    return text;
  }

  static int integer(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < min || number.doubleValue() > max) {
      throw new BadCallback("'" + field + "' must be a whole number from " + min + " to " + max);
    }
    return number.intValue();
  }
}
