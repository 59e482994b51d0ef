package io.callflow.http;

import io.callflow.call.BadCallback;
import io.callflow.mediaservice.CallReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Decodes callback bodies leniently (unknown fields ignored, scalars coerced) and refuses what is not JSON. */
final class CallbackBodies {

  private static final ObjectMapper LENIENT = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      // The vendor's own samples end with a dangling comma (a stripped siteBaseUrl); they must still be read.
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .build()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

  private static final String JSON_TYPE = "application/json";

  /** A reader per payload type, so a callback does not resolve its type's deserializer again. */
  private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return LENIENT.readerFor(type);
    }
  };

  private CallbackBodies() {
  }

  static <T> T decode(RoutingContext ctx, Class<T> type) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.regionMatches(true, 0, JSON_TYPE, 0, JSON_TYPE.length())) {
      throw new BadCallback("Content-Type must be application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new BadCallback("empty body; expected a JSON object");
    }
    if (body.getByte(0) != '{' && !body.toString().stripLeading().startsWith("{")) {
      throw new BadCallback("expected a JSON object");
    }
    try {
      return READERS.get(type).readValue(body.getBytes());
    } catch (MismatchedInputException e) {
      String field = e.getPath().isEmpty() ? "body" : e.getPath().get(e.getPath().size() - 1).getFieldName();
      throw new BadCallback("field '" + field + "' has the wrong type");
    } catch (JsonProcessingException e) {
      throw new BadCallback("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadCallback("unreadable body: " + e.getMessage());
    }
  }

  /** The call a callback belongs to: callflow's reference when it carries one, else the mediaservice sessionId. */
  static String callId(JsonNode reference, String sessionId) {
    String callId = callIdOrNull(reference, sessionId);
    if (callId == null) {
      throw new BadCallback("sessionId is required (or a sessionReferenceId with callId)");
    }
    return callId;
  }

  /**
   * {@link #callId}, or null when the callback names no call (no sessionId, an empty or foreign reference): the
   * vendor's notifications and IVR requests may do that, and are answered all the same (mediaservice-protocol.md).
   */
  static String callIdOrNull(JsonNode reference, String sessionId) {
    String fromReference = CallReference.callIdIn(reference);
    String callId = fromReference != null ? fromReference : sessionId;
    if (callId == null || callId.isBlank()) {
      return null;
    }
    if (callId.length() > 128) {
      throw new BadCallback("sessionId is longer than 128 characters");
    }
    return callId;
  }

  static String require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new BadCallback(field + " is required");
    }
    return value;
  }
}
