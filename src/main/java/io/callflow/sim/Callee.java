package io.callflow.sim;

/**
 * How a forwarded-to destination behaves: {@code answer after 1s talk 5s}, {@code busy}, {@code noanswer},
 * {@code reject 503}.
 */
public sealed interface Callee {

  record Answer(long afterMillis, long talkMillis) implements Callee {
  }

  record Busy() implements Callee {
  }

  record NoAnswer() implements Callee {
  }

  record Reject(int sipCode) implements Callee {
  }

  Callee DEFAULT = new Answer(1000, 5000);

  static Callee parse(String text) {
    String[] words = text.trim().split("\\s+");
    if (words.length == 1 && words[0].equals("busy")) {
      return new Busy();
    }
    if (words.length == 1 && words[0].equals("noanswer")) {
      return new NoAnswer();
    }
    if (words.length == 2 && words[0].equals("reject") && words[1].matches("[3-6]\\d\\d")) {
      return new Reject(Integer.parseInt(words[1]));
    }
    if (words.length == 5 && words[0].equals("answer") && words[1].equals("after") && words[3].equals("talk")) {
      return new Answer(seconds(words[2], text), seconds(words[4], text));
    }
    throw new IllegalArgumentException("callee '" + text
        + "': expected 'answer after Ns talk Ns', 'busy', 'noanswer' or 'reject CODE'");
  }

  private static long seconds(String word, String text) {
    if (!word.matches("\\d+(ms|s)")) {
      throw new IllegalArgumentException("callee '" + text + "': '" + word + "' is not a duration like 2s or 500ms");
    }
    long amount = Long.parseLong(word.replaceAll("\\D", ""));
    return word.endsWith("ms") ? amount : amount * 1000;
  }
}
