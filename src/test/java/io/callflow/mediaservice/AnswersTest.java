package io.callflow.mediaservice;

import io.callflow.config.Tts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callflow.flow.Flow;
import io.callflow.flow.Prompt;
import io.callflow.flow.Reply;
import io.callflow.flow.Speech;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnswersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Answers answers = new Answers(new Tts("aws", "eu-west-1", "Joanna", "en-US"));
  private final String reference = "{\"callId\":\"c1\"}";

  @Test
  @DisplayName("an IVR command echoes replyId and sessionId, renders say/file/url phrases, DTMF and barge-in")
  void ivrCommand() throws Exception {
    Reply.Command command = new Reply.Command(List.of(Prompt.say("Hi"), new Prompt(null, "menu", null),
        new Prompt(null, null, "https://x/a.wav")), new Reply.Input(2, 5, 3, "#"), false);
    String json = Answers.echo(answers.body(command, null), "s1", "r1", reference);
    assertEquals(JSON.readTree("""
        {"sessionId":"s1","replyId":"r1","sessionReferenceId":{"callId":"c1"},
         "phrases":[{"format":"awstts","region":"eu-west-1",
                     "awsTTSParameters":{"Text":"Hi","VoiceId":"Joanna","LanguageCode":"en-US","OutputFormat":"pcm"}},
                    {"format":"file","fileName":"menu"},
                    {"format":"url","url":"https://x/a.wav"}],
         "bargeIn":"all",
         "dtmf":{"flush":true,"maxDigits":2,"firstTimeout":5,"betweenTimeout":3,"terminationKey":"#"}}
        """), JSON.readTree(json));
  }

  @Test
  @DisplayName("a flow's Google voice renders googletts phrases; hang-up commands carry hangup:true and no dtmf")
  void googleHangup() throws Exception {
    String json = Answers.echo(answers.body(new Reply.Command(List.of(Prompt.say("Bye")), null, true),
        new Flow.Voice("google", "sv-SE-Wavenet-A", "sv-SE")), null, "r2", null);
    assertEquals(JSON.readTree("""
        {"replyId":"r2","phrases":[{"format":"googletts","googleTTSParameters":
          {"input":{"text":"Bye"},"voice":{"languageCode":"sv-SE","name":"sv-SE-Wavenet-A"},
           "audioConfig":{"audioEncoding":"LINEAR16","sampleRateHertz":8000}}}],"hangup":true}
        """), JSON.readTree(json));
  }

  @Test
  @DisplayName("a call that chose its speech (a language state) hears say prompts in that voice and language")
  void chosenSpeech() throws Exception {
    Reply.Command command = new Reply.Command(List.of(Prompt.say("Hej")), null, false, null, 0, false,
        new Speech("sv-SE", "Astrid", "sv"));
    String json = answers.body(command, new Flow.Voice("aws", "Joanna", "en-US"));
    assertEquals(JSON.readTree("""
        {"phrases":[{"format":"awstts","region":"eu-west-1",
                     "awsTTSParameters":{"Text":"Hej","VoiceId":"Astrid","LanguageCode":"sv-SE","OutputFormat":"pcm"}}]}
        """), JSON.readTree(json));
  }

  @Test
  @DisplayName("call-control replies render as ivr, call and drop actions without null fields; echo adds the ids")
  void actions() throws Exception {
    assertEquals(JSON.readTree("{\"action\":\"ivr\",\"sessionReferenceId\":{\"callId\":\"c1\"}}"),
        JSON.readTree(Answers.echo(answers.body(new Reply.ConnectIvr(), null), null, null, reference)));
    assertEquals(JSON.readTree("{\"action\":\"call\",\"destAddr\":\"sip:a@b\",\"maxRingTime\":30.0,"
            + "\"sessionReferenceId\":{\"callId\":\"c1\"}}"),
        JSON.readTree(Answers.echo(answers.body(new Reply.Call("sip:a@b", 30, null, null), null), null, null, reference)));
    assertEquals("{\"action\":\"drop\"}", answers.body(new Reply.Drop(null), null));
    assertEquals("{}", answers.body(new Reply.Ack(), null));
    assertEquals("{\"sessionReferenceId\":{\"callId\":\"c1\"}}", Answers.echo("{}", null, null, reference));
  }

  @Test
  @DisplayName("an answer made of the flow's own texts is rendered once per flow version; one with a call's data never kept")
  void renderedOnce() throws Exception {
    Flow flow = new io.callflow.flow.FlowParser().parse("bench.json",
        java.nio.file.Files.readAllBytes(java.nio.file.Path.of("bench/flows/bench.json")));
    Reply.Command menu = new Reply.Command(List.of(Prompt.say("Press 1 for sales, 2 for support, 3 for your account.")),
        new Reply.Input(1, 5, 3, null), false);
    String first = answers.rendered(menu, flow);
    assertEquals(answers.body(menu, flow.voice()), first);
    org.junit.jupiter.api.Assertions.assertSame(first, answers.rendered(
        new Reply.Command(List.of(Prompt.say(new String("Press 1 for sales, 2 for support, 3 for your account."))),
            new Reply.Input(1, 5, 3, null), false), flow));
    Reply.Command readBack = new Reply.Command(List.of(Prompt.say("Your account is 123456.")), null, false);
    String once = answers.rendered(readBack, flow);
    assertEquals(answers.body(readBack, flow.voice()), once);
    org.junit.jupiter.api.Assertions.assertNotSame(once, answers.rendered(readBack, flow));
  }

  @Test
  @DisplayName("echo writes ids with the same escapes as Jackson")
  void echoEscapes() throws Exception {
    String odd = "a\"b\\c\n\t\u0001é€/<";
    String json = Answers.echo("{\"action\":\"ivr\"}", odd, odd, Answers.object("callId", odd, "flow", null));
    com.fasterxml.jackson.databind.node.ObjectNode expected = JSON.createObjectNode().put("sessionId", odd)
        .put("replyId", odd);
    expected.putObject("sessionReferenceId").put("callId", odd).putNull("flow");
    expected.put("action", "ivr");
    assertEquals(JSON.writeValueAsString(expected), json);
  }
}
