package io.callflow.flow;

import static io.callflow.flow.Calls.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The language state: the rest of the call is spoken in the language, voice and prompt folder it chose. */
class LanguageStateTest {

  static final String FLOW = """
      {"id": "lang", "start": "choose", "voice": {"engine": "aws", "voiceId": "Joanna", "language": "en-US"},
       "states": {
        "choose": {"type": "menu", "prompt": {"say": "For English press 1, för svenska tryck 2."},
                   "options": {"1": "main", "2": "swedish", "3": "only-folder"}},
        "swedish": {"type": "language", "language": "sv-SE", "voice": "Astrid", "folder": "sv", "next": "main"},
        "only-folder": {"type": "language", "folder": "x", "next": "main"},
        "main": {"type": "menu", "prompt": [{"say": "Välkommen."}, {"file": "menu"}],
                 "options": {"1": "bye", "2": "swedish"},
                 "noInput": {"prompt": {"file": "silence"}, "tries": 2, "exit": "bye"}},
        "bye": {"type": "hangup", "prompt": {"file": "bye"}}}}
      """;

  @Test
  @DisplayName("after a language state every command carries its language and voice, and files come from its folder")
  void switchesForTheRestOfTheCall() {
    Calls call = Calls.of(FLOW);
    call.start();
    Reply.Command first = (Reply.Command) call.ivr(null);
    assertNull(first.speech(), "before the choice the flow's voice speaks");
    Reply.Command main = (Reply.Command) call.ivr("2");
    assertEquals(new Speech("sv-SE", "Astrid", "sv"), main.speech());
    assertEquals("Välkommen. | file:sv/menu", said(main));
    Reply.Command again = (Reply.Command) call.ivr("");
    assertEquals("file:sv/silence | Välkommen. | file:sv/menu", said(again), "retry prompts too");
    assertEquals(new Speech("sv-SE", "Astrid", "sv"), again.speech());
    Reply.Command bye = (Reply.Command) call.ivr("1");
    assertEquals("file:sv/bye", said(bye));
    assertEquals(new Speech("sv-SE", "Astrid", "sv"), bye.speech());
    assertTrue(call.session.trail().stream().anyMatch(a -> a.kind().is("language") && "sv-SE".equals(a.detail())));
  }

  @Test
  @DisplayName("pressing 1 keeps the flow's voice and the plain prompt files")
  void noChoiceNoChange() {
    Calls call = Calls.of(FLOW);
    call.start();
    call.ivr(null);
    Reply.Command main = (Reply.Command) call.ivr("1");
    assertNull(main.speech());
    assertEquals("Välkommen. | file:menu", said(main));
  }

  @Test
  @DisplayName("a later language state changes only the parts it names, and survives the session codec's round trip")
  void laterChoiceKeepsTheRest() {
    Calls call = Calls.of(FLOW);
    call.start();
    call.ivr(null);
    call.ivr("2");
    Reply.Command main = (Reply.Command) call.ivr("2");
    assertEquals(new Speech("sv-SE", "Astrid", "sv"), main.speech(), "choosing Swedish twice changes nothing");
    Calls folderOnly = Calls.of(FLOW);
    folderOnly.start();
    folderOnly.ivr(null);
    Reply.Command x = (Reply.Command) folderOnly.ivr("3");
    assertEquals(new Speech(null, null, "x"), x.speech());
    assertEquals(new Flow.Voice("aws", "Joanna", "en-US"), x.speech().over(folderOnly.flow.voice()),
        "the flow's voice stays where the state names none");
  }

  @Test
  @DisplayName("a language state as the first state applies before the call reaches the IVR")
  void atTheStart() {
    Calls call = Calls.of("""
        {"id": "sv", "start": "svenska", "states": {
          "svenska": {"type": "language", "language": "sv-SE", "voice": "Astrid", "next": "hello"},
          "hello": {"type": "hangup", "prompt": {"say": "Hej då."}}}}
        """);
    assertInstanceOf(Reply.ConnectIvr.class, call.start());
    Reply.Command hello = (Reply.Command) call.ivr(null);
    assertEquals(new Speech("sv-SE", "Astrid", null), hello.speech());
    assertEquals("Hej då.", said(hello));
  }

  @Test
  @DisplayName("validation: a bad language tag or folder is refused; a language without its voice is a warning")
  void validated() throws Exception {
    assertThrows(FlowException.class, () -> parse("""
        {"id": "l", "start": "a", "states": {
          "a": {"type": "language", "language": "Swedish!", "next": "b"}, "b": {"type": "hangup"}}}
        """));
    assertThrows(FlowException.class, () -> parse("""
        {"id": "l", "start": "a", "states": {"a": {"type": "language", "next": "b"}, "b": {"type": "hangup"}}}
        """));
    assertThrows(FlowException.class, () -> parse("""
        {"id": "l", "start": "a", "states": {
          "a": {"type": "language", "folder": "../etc", "next": "b"}, "b": {"type": "hangup"}}}
        """));
    Flow halfway = parse("""
        {"id": "l", "start": "a", "states": {
          "a": {"type": "language", "language": "sv-SE", "next": "b"}, "b": {"type": "hangup"}}}
        """);
    List<Finding> findings = new FlowValidator().check("l.json", halfway);
    assertTrue(findings.stream().anyMatch(f -> f.toString().contains("language but not the voice")), findings.toString());
    assertTrue(new FlowValidator().check("s.json", parse(FLOW)).stream()
        .noneMatch(f -> f.toString().contains("voice")), "a full choice is fine");
  }

  private static Flow parse(String json) throws FlowException {
    return new FlowParser().parse("test", json.getBytes(StandardCharsets.UTF_8));
  }
}
