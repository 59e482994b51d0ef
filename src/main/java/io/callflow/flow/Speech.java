package io.callflow.flow;

/**
 * How callflow speaks to this caller from now on, as a {@code language} state chose it: the TTS {@code language}
 * and {@code voice} of say prompts, and the {@code folder} of prompt files. A null part keeps the flow's (or the
 * server's) setting.
 */
public record Speech(String language, String voice, String folder) {

  /** {@code flow}'s voice with this call's choices in place of its own. */
  public Flow.Voice over(Flow.Voice flow) {
    String engine = flow == null ? null : flow.engine();
    String voiceId = voice != null ? voice : flow == null ? null : flow.voiceId();
    String tongue = language != null ? language : flow == null ? null : flow.language();
    return new Flow.Voice(engine, voiceId, tongue, flow == null ? null : flow.cacheTimeToLive(),
        flow == null ? null : flow.refreshCache());
  }

  /** This choice with {@code newer}'s parts in place where it sets them. */
  Speech then(Speech newer) {
    return new Speech(newer.language != null ? newer.language : language, newer.voice != null ? newer.voice : voice,
        newer.folder != null ? newer.folder : folder);
  }

  /** {@code prompt} as this caller hears it: a prompt file from the chosen folder. */
  Prompt apply(Prompt prompt) {
    return folder == null || prompt.file() == null ? prompt : new Prompt(null, folder + "/" + prompt.file(), null);
  }
}
