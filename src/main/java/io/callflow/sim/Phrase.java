package io.callflow.sim;

import io.vertx.core.json.JsonObject;

/**
 * One phrase of an IVR command as a caller hears it: the spoken text, {@code file:NAME} or {@code url:URL}, and how
 * long it plays in simulated time.
 */
record Phrase(String format, String heard, long millis) {

  /** Speech takes about this long per character; recorded prompts are taken as this long. */
  static final long TTS_MILLIS_PER_CHAR = 60;
  static final long FILE_MILLIS = 2000;

  /** Reads one item of {@code phrases}; an unknown format or a missing text, file or url is a protocol error. */
  static Phrase parse(Object item) {
    if (!(item instanceof JsonObject phrase)) {
      throw new ProtocolError("getIvrCommand answer has a phrase that is not an object: " + item);
    }
    String format = phrase.getValue("format") instanceof String s ? s : null;
    if (format == null) {
      throw new ProtocolError("getIvrCommand answer has a phrase without format: " + phrase.encode());
    }
    switch (format) {
      case "awstts":
        return speech(format, text(phrase.getValue("awsTTSParameters"), "Text"), phrase);
      case "googletts":
        // Google's request shape is not in the vendor's documents; take the usual input.text, else text.
        Object google = phrase.getValue("googleTTSParameters");
        Object input = google instanceof JsonObject g ? g.getValue("input") : null;
        String text = input != null ? text(input, "text") : text(google, "text");
        return speech(format, text, phrase);
      case "file":
        return new Phrase(format, "file:" + required(phrase, "fileName"), FILE_MILLIS);
      case "url":
        return new Phrase(format, "url:" + required(phrase, "url"), FILE_MILLIS);
      default:
        throw new ProtocolError("getIvrCommand answer has a phrase with unknown format '" + format + "'");
    }
  }

  private static Phrase speech(String format, String text, JsonObject phrase) {
    if (text == null || text.isBlank()) {
      throw new ProtocolError(format + " phrase without text: " + phrase.encode());
    }
    return new Phrase(format, text, TTS_MILLIS_PER_CHAR * text.length());
  }

  private static String text(Object parameters, String field) {
    return parameters instanceof JsonObject p && p.getValue(field) instanceof String s ? s : null;
  }

  private static String required(JsonObject phrase, String field) {
    String value = text(phrase, field);
    if (value == null || value.isBlank()) {
      throw new ProtocolError(phrase.getString("format") + " phrase without " + field + ": " + phrase.encode());
    }
    return value;
  }
}
