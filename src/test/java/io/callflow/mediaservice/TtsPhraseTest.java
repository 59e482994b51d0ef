package io.callflow.mediaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.config.Tts;
import io.callflow.flow.Flow;
import io.callflow.flow.Prompt;
import io.callflow.flow.Reply;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The phrases of seed 004's getIvrCommand answer: the TTS engines' parameters and the vendor's phrase cache. */
class TtsPhraseTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Answers answers = new Answers(new Tts("aws", "eu-west-1", "Joanna", "en-US"));

  private JsonNode phrase(Prompt prompt, Flow.Voice voice) throws Exception {
    return JSON.readTree(answers.body(new Reply.Command(List.of(prompt), null, false), voice)).get("phrases").get(0);
  }

  @Test
  @DisplayName("a Google voice gets the whole synthesize request: input, voice and audioConfig, and the cache fields")
  void google() throws Exception {
    JsonNode phrase = phrase(Prompt.say("Hej"), new Flow.Voice("google", "sv-SE-Wavenet-A", "sv-SE", "WEEK", false));
    assertEquals("googletts", phrase.get("format").asText());
    assertEquals(JSON.readTree("{\"input\":{\"text\":\"Hej\"},\"voice\":{\"languageCode\":\"sv-SE\",\"name\":"
        + "\"sv-SE-Wavenet-A\"},\"audioConfig\":{\"audioEncoding\":\"LINEAR16\",\"sampleRateHertz\":8000}}"),
        phrase.get("googleTTSParameters"));
    assertEquals("WEEK", phrase.get("cacheTimeToLive").asText());
    assertEquals(false, phrase.get("refreshCache").asBoolean());
  }

  @Test
  @DisplayName("a prompt's own cache settings win over the flow's; files and urls carry none; unset means none sent")
  void cachePerPrompt() throws Exception {
    Flow.Voice flow = new Flow.Voice(null, null, null, "WEEK", null);
    JsonNode own = phrase(new Prompt("Hi", null, null, "DAY", true), flow);
    assertEquals("DAY", own.get("cacheTimeToLive").asText());
    assertEquals(true, own.get("refreshCache").asBoolean());
    assertEquals("WEEK", phrase(Prompt.say("Hi"), flow).get("cacheTimeToLive").asText());
    assertEquals(null, phrase(Prompt.say("Hi"), null).get("cacheTimeToLive"));
    assertEquals(null, phrase(new Prompt(null, "menu", null), flow).get("cacheTimeToLive"));
  }
}
