package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SmartfloImportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode sample() throws Exception {
    return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/imports/smartflo-election.json")));
  }

  private static Flow parse(SmartfloImport.Result result) throws Exception {
    return new FlowParser().parse("imported", JSON.writeValueAsString(result.flow()).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("the seed's sample IVR becomes a valid flow: menu, option forward, retry prompts, tries and exits")
  void seedSample() throws Exception {
    SmartfloImport.Result result = new SmartfloImport("pbx.test").convert(sample());
    Flow flow = parse(result);
    assertEquals("election-ivr", flow.id());
    State.Menu menu = (State.Menu) flow.states().get("menu");
    assertEquals(List.of(new Prompt(null, "recording-28935", null)), menu.prompt());
    assertEquals(30, menu.timeout());
    assertEquals(3, menu.invalid().tries(), "2 retries after the first invalid answer");
    assertEquals(List.of(new Prompt(null, "recording-28934", null)), menu.invalid().prompt());
    assertEquals(List.of(new Prompt(null, "recording-28977", null)), menu.noInput().prompt());
    assertEquals("sip:05047530000@pbx.test", ((State.Forward) flow.states().get(menu.options().get("1"))).destination());
    State.Forward timeout = (State.Forward) flow.states().get(menu.noInput().exit());
    assertEquals("sip:05047530675@pbx.test", timeout.destination());
    assertEquals(List.of(new Prompt(null, "recording-28955", null)), timeout.prompt());
    assertEquals("sip:05047530099@pbx.test", ((State.Forward) flow.states().get(menu.invalid().exit())).destination());
    assertEquals(List.of("sms_template [35642]: callflow sends no SMS",
        "no failsafe in the source: set failsafe.destination before going live"), result.unmapped());
    assertTrue(new FlowValidator().check("imported", flow).stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR));
  }

  @Test
  @DisplayName("destinations and fields without an equivalent are reported and routed to the failsafe, never dropped silently")
  void unmappable() throws Exception {
    ObjectNode ivr = sample();
    ivr.putArray("destination").add("queue|12");
    ivr.put("timeout", 90).put("colour", "red");
    SmartfloImport.Result result = new SmartfloImport("pbx.test").convert(ivr);
    Flow flow = parse(result);
    assertEquals(Flow.FAILSAFE, ((State.Menu) flow.states().get("menu")).options().get("1"));
    assertEquals(60, ((State.Menu) flow.states().get("menu")).timeout());
    assertTrue(result.unmapped().contains("destination[0] 'queue|12': destination type 'queue' has no callflow "
        + "equivalent; the caller goes to the failsafe"), result.unmapped().toString());
    assertTrue(result.unmapped().contains("timeout 90 s is outside 1-60 s; the menu waits 60 s"));
    assertTrue(result.unmapped().contains("unknown field 'colour'"));
  }
}
