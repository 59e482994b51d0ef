package io.callflow.sim;

import java.util.Map;

/**
 * How a forwarded-to (or placeivrcall) destination behaves: {@code answer after 1s talk 5s}, {@code busy},
 * {@code noanswer}, {@code noanswer after 10s}, {@code reject 503}.
 */
public sealed interface Callee {

  /** Answers after {@code afterMillis} of ringing, then hangs up after {@code talkMillis} (forwards only). */
  record Answer(long afterMillis, long talkMillis) implements Callee {
  }

  /** 486 after a short ring. */
  record Busy() implements Callee {
  }

  /** Rings for {@code ringMillis} (or until maxRingTime, if shorter), then 480. */
  record NoAnswer(long ringMillis) implements Callee {
    /** Rings until the mediaservice gives up at maxRingTime. */
    public NoAnswer() {
      this(Long.MAX_VALUE);
    }
  }

  /** Refuses with this SIP status after a short ring. */
  record Reject(int sipCode) implements Callee {
  }

  Callee DEFAULT = new Answer(1000, 5000);

  /** How long a busy or rejecting destination rings before it answers with its status. */
  long SHORT_RING_MILLIS = 300;

  /** The reason phrases the simulator puts in errorDescr and sipReason. */
  Map<Integer, String> REASONS = Map.of(408, "Request Timeout", 480, "Temporarily Unavailable", 486, "Busy Here",
      487, "Request Terminated", 404, "Not Found", 503, "Service Unavailable", 600, "Busy Everywhere", 603, "Decline");

  static String reason(int sipCode) {
    return REASONS.getOrDefault(sipCode, "Rejected");
  }

  /** Parses a short description; a bad one throws naming the expected forms. */
  static Callee parse(String text) {
    String[] words = text.trim().split("\\s+");
    if (words.length == 1 && words[0].equals("answer")) {
      return DEFAULT;
    }
    if (words.length == 1 && words[0].equals("busy")) {
      return new Busy();
    }
    if (words.length == 1 && words[0].equals("noanswer")) {
      return new NoAnswer();
    }
    if (words.length == 3 && words[0].equals("noanswer") && words[1].equals("after")) {
      return new NoAnswer(CallerScript.duration(words[2], "callee '" + text + "'"));
    }
    if (words.length == 2 && words[0].equals("reject") && words[1].matches("[3-6]\\d\\d")) {
      return new Reject(Integer.parseInt(words[1]));
    }
    if (words.length == 5 && words[0].equals("answer") && words[1].equals("after") && words[3].equals("talk")) {
      String where = "callee '" + text + "'";
      return new Answer(CallerScript.duration(words[2], where), CallerScript.duration(words[4], where));
    }
    throw new IllegalArgumentException("callee '" + text
        + "': expected 'answer after Ns talk Ns', 'answer', 'busy', 'noanswer [after Ns]' or 'reject CODE'");
  }
}
