package io.callflow.mediaservice;

import io.callflow.flow.Flow;
import io.callflow.flow.Prompt;
import io.callflow.flow.Reply;
import io.callflow.flow.State;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The answers of one flow version, each rendered once. A reply made only of the flow's own texts (a menu's prompt,
 * its DTMF settings, a goodbye) renders to the same JSON for every call, so its first rendering is kept and handed
 * out again: no rendering on the hot path, and every session that remembers that answer holds the same string.
 * A reply with a call's data in it (a template filled in, a recording's file name) is rendered every time and never
 * kept, so no caller's data stays behind in here.
 */
final class RenderedAnswers {

  /** More distinct fixed answers than a flow can give; a bound all the same. */
  private static final int MAX_ANSWERS = 4096;

  private final Set<String> flowTexts;
  private final ConcurrentHashMap<Reply, String> bodies = new ConcurrentHashMap<>();

  RenderedAnswers(Flow flow) {
    this.flowTexts = textsOf(flow);
  }

  /** The reply's answer body: the one rendered before, or {@code render}'s. */
  String body(Reply reply, Function<Reply, String> render) {
    String body = bodies.get(reply);
    if (body != null) {
      return body;
    }
    body = render.apply(reply);
    if (bodies.size() < MAX_ANSWERS && flowTexts.containsAll(reply.texts())) {
      String earlier = bodies.putIfAbsent(reply, body);
      return earlier != null ? earlier : body;
    }
    return body;
  }

  /** The texts of every prompt the flow's states can render, except templates (a "${" is filled in per call). */
  private static Set<String> textsOf(Flow flow) {
    Set<String> texts = new HashSet<>();
    for (State state : flow.states().values()) {
      for (Prompt prompt : state.prompts()) {
        if (!prompt.text().contains("${")) {
          texts.add(prompt.text());
        }
      }
    }
    return Set.copyOf(texts);
  }
}
