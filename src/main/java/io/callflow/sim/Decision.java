package io.callflow.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A /newCall or /callEvent answer: connect to the IVR, call a destination, or drop. A missing or unknown action, or a
 * call without destination, is a protocol error, worded like the vendor's alarms.
 */
sealed interface Decision {

  /** The ring time the simulator assumes when a call answer gives none (the vendor's default is not documented). */
  double DEFAULT_RING_SECONDS = 30;

  /** The sessionReferenceId the answer sets (any JSON), or null to keep the session's. */
  Object reference();

  record Ivr(Object reference) implements Decision {
  }

  /** {@code recordingFile}: the connected call is recorded into it (callRecording), or null. */
  record Call(String destination, double maxRingTime, String recordingFile, Object reference) implements Decision {
  }

  record Drop(String dropCode, Object reference) implements Decision {
  }

  static Decision parse(JsonObject answer, String callback) {
    if (answer.isEmpty()) {
      throw new ProtocolError(callback + " response empty");
    }
    Object action = answer.getValue("action");
    Object reference = answer.getValue("sessionReferenceId");
    if (action == null) {
      throw new ProtocolError(callback + " response without action: " + answer.encode());
    }
    switch (String.valueOf(action)) {
      case "ivr":
        return new Ivr(reference);
      case "drop":
        return new Drop(answer.getValue("dropCode") instanceof String code ? code : null, reference);
      case "call":
        return call(answer, callback, reference);
      default:
        // connect and httpcall exist at the vendor but need a second participant or a Cloud SIP UA: not simulated.
        throw new ProtocolError(callback + " response with unknown action '" + action + "'");
    }
  }

  /** destAddr is a SIP URI, or a list of destinations of which the simulator rings the first. */
  private static Call call(JsonObject answer, String callback, Object reference) {
    Object destAddr = answer.getValue("destAddr");
    Object ring = answer.getValue("maxRingTime");
    if (destAddr instanceof JsonArray list && !list.isEmpty()) {
      Object first = list.getValue(0);
      if (first instanceof JsonObject item) {
        destAddr = item.getValue("destAddr");
        ring = item.getValue("maxRingTime") != null ? item.getValue("maxRingTime") : ring;
      } else {
        destAddr = first;
      }
    }
    if (!(destAddr instanceof String destination) || destination.isBlank()) {
      throw new ProtocolError("a call answer to " + callback + " has no destAddr: " + answer.encode());
    }
    String recording = Boolean.TRUE.equals(answer.getValue("callRecording"))
        ? answer.getValue("recordingFileName") instanceof String file ? file : "recording-" + Ids.timeUuid() + ".wav"
        : null;
    return new Call(destination, ring instanceof Number n && n.doubleValue() > 0 ? n.doubleValue()
        : DEFAULT_RING_SECONDS, recording, reference);
  }

  /** The answer's gist for the transcript. */
  default String summary() {
    if (this instanceof Call call) {
      return "call " + call.destination() + " maxRingTime " + call.maxRingTime();
    }
    if (this instanceof Drop drop) {
      return drop.dropCode() == null ? "drop" : "drop " + drop.dropCode();
    }
    return "ivr";
  }
}
