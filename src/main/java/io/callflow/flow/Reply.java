package io.callflow.flow;

import java.util.List;

/** The engine's answer to an event, independent of the wire format the shell renders it into. */
public sealed interface Reply {

  /**
   * This reply made to stop a background prompt that may still play from an earlier wait: only an IVR command that
   * starts no background prompt of its own changes.
   */
  default Reply stoppingBackground() {
    return this;
  }

  /**
   * Every text the answer carries that a call's data could have filled in (prompts, destinations, names, file names,
   * codes; nulls left out). A reply whose texts are all the flow's own renders the same for every call of that flow
   * version.
   */
  List<String> texts();

  /** Connect the caller to the IVR (action "ivr"); the IVR will then ask with getIvrCommand. */
  record ConnectIvr() implements Reply {
    @Override
    public List<String> texts() {
      return List.of();
    }
  }

  /**
   * Connect the caller to {@code destination} (action "call"); a {@code recordingFile} records the call;
   * {@code callerPrivacy} hides the caller's number on the new leg (a private caller stays private).
   */
  record Call(String destination, int ringTime, String sipFrom, String displayName, String recordingFile,
              boolean callerPrivacy) implements Reply {

    public Call(String destination, int ringTime, String sipFrom, String displayName, String recordingFile) {
      this(destination, ringTime, sipFrom, displayName, recordingFile, false);
    }

    public Call(String destination, int ringTime, String sipFrom, String displayName) {
      this(destination, ringTime, sipFrom, displayName, null, false);
    }

    @Override
    public List<String> texts() {
      return present(destination, sipFrom, displayName, recordingFile);
    }
  }

  /** Disconnect (action "drop"), optionally with a dropCode. */
  record Drop(String dropCode) implements Reply {
    @Override
    public List<String> texts() {
      return present(dropCode);
    }
  }

  /**
   * An IVR command: play {@code prompts}, then collect {@code input} if given, then hang up if {@code hangup}. With
   * {@code waitSeconds} above 0 the IVR asks again after that long (getIVRCommandAfter) with {@code background}
   * (a file or url prompt, or null) playing meanwhile. {@code stopBackground} stops a background prompt an earlier
   * command started (the vendor plays it between commands until told to stop, or the call hangs up). {@code speech},
   * when the call chose one (a language state), is the language and voice its say prompts are spoken in.
   */
  record Command(List<Prompt> prompts, Input input, boolean hangup, Prompt background, int waitSeconds,
                 boolean stopBackground, Speech speech) implements Reply {
    public Command {
      prompts = List.copyOf(prompts);
    }

    public Command(List<Prompt> prompts, Input input, boolean hangup, Prompt background, int waitSeconds) {
      this(prompts, input, hangup, background, waitSeconds, false, null);
    }

    public Command(List<Prompt> prompts, Input input, boolean hangup) {
      this(prompts, input, hangup, null, 0, false, null);
    }

    @Override
    public Reply stoppingBackground() {
      return background != null ? this : new Command(prompts, input, hangup, null, waitSeconds, true, speech);
    }

    @Override
    public List<String> texts() {
      List<String> texts = new java.util.ArrayList<>();
      for (Prompt prompt : prompts) {
        texts.add(prompt.text());
      }
      if (background != null) {
        texts.add(background.text());
      }
      if (input != null && input.salt() != null) {
        // A salt is the call's own: such a command is rendered for its call, never kept for others.
        texts.add(input.salt());
      }
      return texts;
    }
  }

  /** A notification was taken note of. */
  record Ack() implements Reply {
    @Override
    public List<String> texts() {
      return List.of();
    }
  }

  private static List<String> present(String... texts) {
    return java.util.Arrays.stream(texts).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * How to collect DTMF digits; timeouts in seconds; {@code terminationKey} may be null; with {@code salt} the IVR
   * reports the digits hashed (md5 of salt + digits, hex), so the clear digits never reach callflow.
   */
  record Input(int maxDigits, int firstTimeout, int betweenTimeout, String terminationKey, String salt) {

    public Input(int maxDigits, int firstTimeout, int betweenTimeout, String terminationKey) {
      this(maxDigits, firstTimeout, betweenTimeout, terminationKey, null);
    }
  }
}
