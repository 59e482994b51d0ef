package io.callflow.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callflow.flow.CallIds;
import io.callflow.flow.Effect;
import io.callflow.mediaservice.MediaserviceClient;
import io.callflow.report.ActivityRecord;
import io.callflow.report.RecordCodec;
import io.callflow.mediaservice.CallReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One piece of work a step ordered, as kept in the session store until it is done (see
 * {@link io.callflow.session.SessionStore.Pending}): an effect with the call's ids as they were at that step, a
 * record to export, or an outbound call to place. Written as JSON, so that any instance can carry it out.
 */
record EffectEntry(String type, CallIds ids, JsonNode data) {

  static final String EXPORT = "export";
  static final String PLACE = "placeivrcall";
  /** A call the reaper claimed as idle, to end (its record to build and keep). */
  static final String EXPIRE = "expire";
  /** The id of a call's expire entry: a call is claimed once. */
  static final String EXPIRE_ID = "expire";

  private static final ObjectMapper JSON = SealedJson.JSON;
  private static final SealedJson<Effect> EFFECTS = new SealedJson<>(Effect.class);
  /** The effects that leave the process and whose outcome the call needs (a timer is re-armed by the reaper). */
  private static final Set<Class<?>> KEPT = Set.of(Effect.Interrupt.class, Effect.StartRecording.class,
      Effect.StopRecording.class, Effect.Hangup.class, Effect.HttpFetch.class);
  /** Sent at most once: a second startrecording or placeivrcall would record or ring twice. */
  private static final Set<String> ONCE = Set.of(Effect.StartRecording.class.getSimpleName(), PLACE);

  static boolean kept(Effect effect) {
    return KEPT.contains(effect.getClass());
  }

  static EffectEntry of(Effect effect, CallIds ids) {
    return new EffectEntry(SealedJson.type(effect), ids, SealedJson.data(effect));
  }

  static EffectEntry export(ActivityRecord record) {
    return new EffectEntry(EXPORT, null, JSON.getNodeFactory().textNode(
        new String(RecordCodec.encode(record), StandardCharsets.UTF_8)));
  }

  static EffectEntry place(MediaserviceClient.PlaceCall call) {
    ObjectNode data = JSON.createObjectNode();
    data.put("destAddr", call.destAddr());
    data.put("sipFrom", call.sipFrom());
    data.put("displayName", call.displayName());
    data.put("maxRingTime", call.maxRingTime());
    data.set("sessionReferenceId", call.sessionReferenceId().json());
    return new EffectEntry(PLACE, null, data);
  }

  static EffectEntry expire() {
    return new EffectEntry(EXPIRE, null, JSON.getNodeFactory().textNode(""));
  }

  /** A fresh id for an entry: unique within its call. */
  static String newId() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  boolean once() {
    return ONCE.contains(type);
  }

  /** The operation's name as the flow and the metrics know it (the mediaservice operation, http, export). */
  String operation() {
    return switch (type) {
      case "Interrupt" -> "interruptivrcommand";
      case "StartRecording" -> "startrecording";
      case "StopRecording" -> "stoprecording";
      case "Hangup" -> "hangupparticipant";
      case "HttpFetch" -> "http";
      default -> type;
    };
  }

  /** The effect, or null for an export or a placement. */
  Effect effect() throws IOException {
    return EFFECTS.read(type, data);
  }

  ActivityRecord record() throws IOException {
    return RecordCodec.decode(data.asText().getBytes(StandardCharsets.UTF_8));
  }

  MediaserviceClient.PlaceCall placeCall() {
    return new MediaserviceClient.PlaceCall(data.path("destAddr").asText(null), data.path("sipFrom").asText(null),
        data.path("displayName").asText(null), data.path("maxRingTime").asDouble(),
        JSON.convertValue(data.path("sessionReferenceId"), CallReference.class));
  }

  String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    if (ids != null) {
      node.set("ids", JSON.valueToTree(ids));
    }
    node.set("data", data);
    return node.toString();
  }

  static EffectEntry decode(String body) throws IOException {
    JsonNode node = JSON.readTree(body);
    if (node == null || !node.path("type").isTextual() || !node.has("data")) {
      throw new IOException("not an effect entry");
    }
    CallIds ids = node.has("ids") ? JSON.treeToValue(node.get("ids"), CallIds.class) : null;
    return new EffectEntry(node.get("type").asText(), ids, node.get("data"));
  }
}
