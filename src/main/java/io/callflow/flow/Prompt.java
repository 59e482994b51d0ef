package io.callflow.flow;

import java.util.List;

/**
 * One thing the caller hears: text to speak, a stored prompt file, or audio at a URL; may use ${variable}. A spoken
 * prompt may say how long the mediaservice keeps its synthesised audio ({@code cacheTimeToLive}, e.g. WEEK) and
 * whether to synthesise it afresh ({@code refreshCache}); null takes the flow's voice setting.
 */
public record Prompt(String say, String file, String url, String cacheTimeToLive, Boolean refreshCache) {

  public Prompt {
    int given = (say != null ? 1 : 0) + (file != null ? 1 : 0) + (url != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("a prompt has exactly one of say, file or url");
    }
  }

  public Prompt(String say, String file, String url) {
    this(say, file, url, null, null);
  }

  public static Prompt say(String text) {
    return new Prompt(text, null, null);
  }

  /** What it names: the text, the file or the URL, whichever is set. */
  public String text() {
    return say != null ? say : file != null ? file : url;
  }

  /** The same prompt with ${name} placeholders filled in by {@code values}. */
  Prompt expand(Template.Values values) {
    return new Prompt(Template.expand(say, values), Template.expand(file, values), Template.expand(url, values),
        cacheTimeToLive, refreshCache);
  }
}
