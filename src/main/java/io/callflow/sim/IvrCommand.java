package io.callflow.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A getIvrCommand answer as the IVR executes it.
 *
 * @param dtmf        the collection to run, or null
 * @param afterMillis getIVRCommandAfter in simulated milliseconds, or -1
 * @param background  what the background prompt plays (file name or url), or null
 * @param stopBackground whether the command stops the background prompt a command before started
 * @param reference   a new sessionReferenceId, or null to keep the one the session has
 */
record IvrCommand(String replyId, List<Phrase> phrases, Dtmf dtmf, BargeIn bargeIn, boolean hangup, long afterMillis,
                  String background, boolean stopBackground, Object reference) {

  /** Reads an answer; an empty one, a bad phrase or a command that asks for nothing is a protocol error. */
  static IvrCommand parse(JsonObject answer) {
    if (answer.isEmpty()) {
      throw new ProtocolError("Empty body in getIvrCommand response");
    }
    List<Phrase> phrases = new ArrayList<>();
    Object items = answer.getValue("phrases");
    if (items != null && !(items instanceof JsonArray)) {
      throw new ProtocolError("getIvrCommand answer has phrases that are not an array: " + items);
    }
    if (items instanceof JsonArray list) {
      list.forEach(item -> phrases.add(Phrase.parse(item)));
    }
    Object dtmf = answer.getValue("dtmf");
    boolean hangup = Boolean.TRUE.equals(answer.getValue("hangup"));
    long after = answer.getValue("getIVRCommandAfter") instanceof Number n && n.doubleValue() > 0
        ? Math.round(n.doubleValue() * 1000) : -1;
    if (phrases.isEmpty() && dtmf == null && !hangup && after < 0) {
      // The IVR would ask again at once, for ever: the vendor's "IVR command failed" in effect.
      throw new ProtocolError("getIvrCommand answer asks for nothing: no phrases, dtmf, hangup or getIVRCommandAfter");
    }
    return new IvrCommand(answer.getValue("replyId") instanceof String s ? s : null, List.copyOf(phrases),
        dtmf == null ? null : Dtmf.parse(dtmf), BargeIn.of(answer.getValue("bargeIn")), hangup, after,
        background(answer.getValue("backgroundPrompt")), stops(answer.getValue("backgroundPrompt")),
        answer.getValue("sessionReferenceId"));
  }

  long playMillis() {
    return Playback.total(phrases);
  }

  /** The answer's gist for the transcript. */
  String summary() {
    StringBuilder text = new StringBuilder(phrases.size() + (phrases.size() == 1 ? " phrase" : " phrases"));
    if (dtmf != null) {
      text.append(", dtmf maxDigits ").append(dtmf.maxDigits() == Integer.MAX_VALUE ? "-" : dtmf.maxDigits());
      if (!dtmf.terminationKeys().isEmpty()) {
        text.append(" key ").append(dtmf.terminationKeys());
      }
      if (dtmf.flush()) {
        text.append(" flush");
      }
    }
    if (bargeIn != BargeIn.NONE) {
      text.append(", bargeIn ").append(bargeIn.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (afterMillis >= 0) {
      text.append(", next after ").append(afterMillis).append(" ms");
    }
    if (hangup) {
      text.append(", hangup");
    }
    return text.toString();
  }

  private static boolean stops(Object prompt) {
    return prompt instanceof JsonObject background && Boolean.TRUE.equals(background.getValue("stop"));
  }

  private static String background(Object prompt) {
    if (!(prompt instanceof JsonObject background) || Boolean.TRUE.equals(background.getValue("stop"))) {
      return null;
    }
    Object name = background.getValue("fileName") != null ? background.getValue("fileName") : background.getValue("url");
    return String.valueOf(name);
  }
}
