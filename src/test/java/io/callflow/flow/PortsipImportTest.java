package io.callflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PortsipImportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode fixture(String name) throws Exception {
    return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("src/test/resources/imports", name)));
  }

  private static Flow parse(SmartfloImport.Result result) throws Exception {
    Flow flow = new FlowParser().parse("imported", JSON.writeValueAsString(result.flow()).getBytes(StandardCharsets.UTF_8));
    assertTrue(new FlowValidator("pbx.example.com").check("imported", flow).stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR));
    return flow;
  }

  @Test
  @DisplayName("the seed's own sample values import into a valid flow, each unusable value reported")
  void seedSamples() throws Exception {
    for (String sample : List.of("portsip-get.json", "portsip-post.json")) {
      IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new PortsipImport("pbx.test").convert(fixture(sample)));
      assertTrue(refused.getMessage().contains("cannot be entered on a keypad"), refused.getMessage());
      assertFalse(refused.getMessage().contains("text"), "the PIN is not echoed: " + refused.getMessage());
      ObjectNode withoutPin = fixture(sample).put("enable_pin", false);
      SmartfloImport.Result result = new PortsipImport("pbx.test").convert(withoutPin);
      parse(result);
      assertTrue(result.unmapped().contains("extension_number 'text' is not a number callflow can route"), sample);
      assertTrue(result.unmapped().contains("custom_forward_rules[0].user_input 'text' is not a key sequence"), sample);
    }
  }

  @Test
  @DisplayName("a PIN that breaks the policy (1234) is imported with a collect of exactly its length, so it can be entered")
  void pinOutsidePolicy() throws Exception {
    ObjectNode reception = fixture("portsip-reception.json").put("pin", "1234");
    SmartfloImport.Result result = new PortsipImport("pbx.test").convert(reception);
    Flow flow = parse(result);
    State.Collect pin = (State.Collect) flow.states().get("pin");
    assertEquals(4, pin.minDigits());
    assertEquals(4, pin.maxDigits());
    assertTrue(result.unmapped().stream().anyMatch(u -> u.startsWith("pin breaks the PIN policy (not 6-10 digits, "
        + "sequential digits); the PIN check asks for exactly 4 digits")), result.unmapped().toString());
    List<String> transcript = new FlowSimulation(flow, new Caller("+46701234567", "+46850001000", null, java.util.Map.of()),
        java.time.Instant.parse("2026-03-02T09:00:00Z"), List.of("1234#"), java.util.Map.of(),
        FlowSimulation.Callee.ANSWER).run();
    assertTrue(transcript.contains("→ menu (menu)"), "the right PIN reaches the menu: " + transcript);
    State.Collect policy = (State.Collect) parse(new PortsipImport("pbx.test")
        .convert(fixture("portsip-reception.json"))).states().get("pin");
    assertEquals(6, policy.minDigits());
    assertEquals(10, policy.maxDigits());
  }

  @Test
  @DisplayName("a receptionist with PIN, office hours, holidays and three forward rules becomes the same flow")
  void reception() throws Exception {
    SmartfloImport.Result result = new PortsipImport("pbx.test").convert(fixture("portsip-reception.json"));
    Flow flow = parse(result);
    assertEquals("main-reception", flow.id());
    assertEquals(List.of("8000"), flow.numbers());
    assertEquals("sip:+46850009000@pbx.test", flow.failsafe().destination());
    assertEquals("pin", flow.start());
    State.Collect pin = (State.Collect) flow.states().get("pin");
    assertTrue(pin.secret());
    assertEquals("582914", ((State.Branch) flow.states().get("check-pin")).cases().get(0).when().equals());
    State.Menu menu = (State.Menu) flow.states().get("menu");
    assertEquals(List.of(new Prompt(null, "welcome.wav", null)), menu.prompt());
    assertEquals(3, menu.noInput().tries());
    State.Hours hours = (State.Hours) flow.states().get(menu.options().get("1"));
    assertEquals(List.of("09:00-17:00"), hours.weekly().get("mon"));
    assertEquals(null, hours.weekly().get("sat"));
    assertEquals(List.of("12-24", "12-25", "12-26"), hours.holidays());
    State.Forward office = (State.Forward) flow.states().get(hours.open());
    assertEquals("sip:101@pbx.test", office.destination());
    assertEquals(List.of(new Prompt(null, "transferring.wav", null)), office.prompt());
    assertEquals("sip:+46850009010@pbx.test", ((State.Forward) flow.states().get(hours.closed())).destination());
    assertEquals("sip:+46850009020@pbx.test", ((State.Forward) flow.states().get(hours.holiday())).destination());
    assertEquals(List.of("dtmf_interval 2 s: callflow menus wait 3 s between digits",
        "custom_forward_rules[0]: PortSIP hours carry no time zone; UTC was set, change timezone to the office's",
        "outbound_caller_ids: set sipFrom on forwards by hand if a fixed caller id is needed"), result.unmapped());
  }

  @Test
  @DisplayName("holidays given only by id are reported, not guessed")
  void holidayIds() throws Exception {
    ObjectNode reception = fixture("portsip-reception.json");
    ((ObjectNode) reception.get("custom_forward_rules").get(0)).putArray("holidays").add("NzAwNTUxOTA5NzczMTQ4MTYw");
    SmartfloImport.Result result = new PortsipImport("pbx.test").convert(reception);
    parse(result);
    assertTrue(result.unmapped().contains("custom_forward_rules[0].holidays[0] 'NzAwNTUxOTA5NzczMTQ4MTYw' is a holiday "
        + "id; add its dates to the hours state's holidays"), result.unmapped().toString());
  }

  @Test
  @DisplayName("the PIN policy: 6-10 digits, no digit three times in a row, no runs like 012 or 987")
  void pinPolicy() {
    assertEquals(List.of(), PortsipImport.pinPolicy("582914"));
    assertEquals(List.of("repeating digits"), PortsipImport.pinPolicy("581114"));
    assertEquals(List.of("sequential digits"), PortsipImport.pinPolicy("580124"));
    assertEquals(List.of("sequential digits"), PortsipImport.pinPolicy("589874"));
    assertEquals(List.of("not 6-10 digits"), PortsipImport.pinPolicy("58291"));
  }
}
