package io.callflow.sim;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.http.MutableClock;
import io.callflow.http.Server;
import io.callflow.http.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** End-to-end calls: the simulator plays the mediaservice against the real server and the transcripts are checked. */
@ExtendWith(VertxExtension.class)
class ScenarioTest {
  static final String MENU = "Press 1 for sales, 2 for support, 3 for your account.";

  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Vertx vertx;
  private Server server;
  private SimConfig config;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null), clock).await();
    config = SimConfig.local(server.port()).compressed(100)
        .withCallee("sip:internet@pbx.test", new Callee.Answer(1000, 2000));
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  private Transcript call(SimConfig sim, String from, String to, String script) {
    Simulator simulator = new Simulator(vertx, sim);
    try {
      Transcript transcript = simulator.inbound(from, to, CallerScript.parse(script)).await();
      assertEquals(List.of(), transcript.protocolErrors(), transcript.toString());
      return transcript;
    } finally {
      simulator.close();
    }
  }

  private Transcript call(String script) {
    return call(config, CALLER, LINE, script);
  }

  @Test
  @DisplayName("menu, sub-menu, forward connected, callee hangs up, caller hears goodbye")
  void menuSubMenuForward() {
    Transcript t = call("press 2; press 1");
    assertEquals(List.of(MENU, "file:support-menu", "Connecting you to internet support.", "Goodbye."), t.heard());
    assertEquals(List.of("sip:internet@pbx.test"), t.forwards());
    assertEquals(List.of("sip:internet@pbx.test"), t.connected());
    assertEquals("ivr-hangup", t.outcome());
    assertEquals("sessionCompleted", t.callbacks().get(t.callbacks().size() - 1));
  }

  @Test
  @DisplayName("no input three times goes to the failsafe destination")
  void noInputToFailsafe() {
    Transcript t = call(config.withCallee("sip:failsafe@pbx.test", new Callee.Answer(500, 1000)), CALLER, LINE, "silent; silent; silent");
    assertEquals(List.of(MENU, "We did not hear you.", MENU, "We did not hear you.", MENU,
        "Sorry, let me connect you to someone."), t.heard());
    assertEquals(List.of("sip:failsafe@pbx.test"), t.forwards());
    assertEquals("dropped", t.outcome(), "after the failsafe callee hangs up the caller is dropped");
  }

  @Test
  @DisplayName("invalid input twice, then the account collect with a termination key, read back with variables")
  void invalidThenCollect() {
    // The waits let each retry prompt play out (4.8 s) before the next key; without them the key would cut it.
    Transcript t = call("press 9; wait 5s; press 8; wait 5s; press 3; press 1234567#");
    assertEquals(List.of(MENU, "That is not a valid choice.", MENU, "That is not a valid choice.", MENU,
        "Enter your account number, then hash.", "Your account is 1234567, tier gold-1234567.", "Goodbye."), t.heard());
    assertEquals(List.of(MENU, "Enter your account number, then hash."), t.details("cut"));
    assertEquals(List.of("maxDigits 9", "maxDigits 8", "maxDigits 3", "terminationKey 1234567"), t.collected());
    assertEquals("ivr-hangup", t.outcome());
  }

  @Test
  @DisplayName("closed hours: the closed message, then the IVR hangs up")
  void closed() {
    clock.set(Instant.parse("2026-11-22T12:00:00Z"));
    Transcript t = call("press 1");
    assertEquals(List.of("We are closed."), t.heard());
    assertEquals("ivr-hangup", t.outcome());
  }

  @Test
  @DisplayName("a holiday: the holiday greeting, then closed")
  void holiday() {
    clock.set(Instant.parse("2026-12-25T10:00:00Z"));
    assertEquals(List.of("Happy holidays.", "We are closed."), call("").heard());
  }

  @Test
  @DisplayName("busy goes to the fallback destination; its no-answer ends with goodbye")
  void busyFallbackNoAnswer() {
    SimConfig sim = config.withCallee("sip:internet@pbx.test", new Callee.Busy())
        .withCallee("sip:phone@pbx.test", new Callee.NoAnswer());
    Transcript t = call(sim, CALLER, LINE, "press 2; press 1");
    assertEquals(List.of("sip:internet@pbx.test", "sip:phone@pbx.test"), t.forwards());
    assertEquals(List.of("sip:internet@pbx.test 486", "sip:phone@pbx.test 480"), t.details("failed"));
    assertEquals("Goodbye.", t.heard().get(t.heard().size() - 1));
    assertEquals("ivr-hangup", t.outcome());
  }

  @Test
  @DisplayName("the caller hangs up in the middle of the menu")
  void callerHangsUpMidMenu() {
    Transcript t = call("hangup");
    assertEquals(List.of(MENU), t.heard());
    assertEquals("caller-hangup", t.outcome());
  }

  @Test
  @DisplayName("the caller hangs up while connected to sales")
  void callerHangsUpConnected() {
    Transcript t = call(config.withCallee("sip:sales@pbx.test", new Callee.Answer(500, 60_000)), CALLER, LINE,
        "press 1; wait 2s; hangup");
    assertEquals(List.of("sip:sales@pbx.test"), t.connected());
    assertEquals("caller-hangup", t.outcome());
  }

  @Test
  @DisplayName("a flow that starts with a forward: newCall answers call; no answer drops with busy")
  void directForward() {
    Transcript t = call(config.withCallee("sip:desk@pbx.test", new Callee.NoAnswer()), CALLER, "+46800000002", "");
    assertEquals(List.of("sip:desk@pbx.test"), t.forwards());
    assertEquals("dropped:busy", t.outcome());
    assertEquals(List.of(), t.heard());
  }

  @Test
  @DisplayName("a number no flow answers is dropped with numberNotFound")
  void unknownNumber() {
    assertEquals("dropped:numberNotFound", call(config, CALLER, "+4699", "").outcome());
  }

  @Test
  @DisplayName("a VIP caller is branched straight to an agent and talks until the agent hangs up")
  void vipToAgent() {
    Transcript t = call(config, "+46700000099", LINE, "");
    assertEquals(List.of("sip:agent@pbx.test"), t.connected());
    assertEquals("dropped", t.outcome());
  }

  @Test
  @DisplayName("every callback posted twice gets the same answer twice and the call runs as once")
  void duplicates() {
    Transcript t = call(config.withDuplicates(), CALLER, LINE, "press 2; press 1");
    assertEquals(List.of(MENU, "file:support-menu", "Connecting you to internet support.", "Goodbye."), t.heard());
  }

  @Test
  @DisplayName("a hybrid deployment's siteBaseUrl in every callback does not change the call")
  void siteBaseUrl() {
    Transcript t = call(config.withSiteBaseUrl("https://site-a.example/mediaservice"), CALLER, LINE, "press 3; press 123456#");
    assertTrue(t.heard().contains("Your account is 123456, tier gold-123456."), t.toString());
  }

  @Test
  @DisplayName("with callback authentication on, the simulator's calls pass with the header and fail without it")
  void authenticatedCallbacks() {
    Server secured = Server.start(vertx, TestConfig.withAuth(TestConfig.create("src/test/resources/flows", null),
        new io.callflow.config.AppConfig.CallbackAuth("bearer", List.of("sim-token-0123456"), null, null, 30)), clock).await();
    try {
      SimConfig sim = SimConfig.local(secured.port()).compressed(100);
      Transcript ok = call(sim.withAuthorization("Bearer sim-token-0123456"), CALLER, LINE, "hangup");
      assertEquals("caller-hangup", ok.outcome());
      Simulator refused = new Simulator(vertx, sim);
      Transcript denied = refused.inbound(CALLER, LINE, CallerScript.parse("hangup")).await();
      refused.close();
      assertEquals("error", denied.outcome());
      assertTrue(denied.protocolErrors().get(0).startsWith("newCall answered HTTP 401"), denied.toString());
    } finally {
      secured.stop().await();
    }
  }

  @Test
  @DisplayName("keys typed during a play-only command are flushed by the next menu, as callflow asks")
  void flushedBuffer() {
    Server examples = Server.start(vertx, TestConfig.create("flows", null), clock).await();
    try {
      SimConfig sim = SimConfig.local(examples.port()).compressed(100);
      Transcript t = call(sim, CALLER, "+46850001000", "press 3; press 1234567#; type 9; press 1");
      assertEquals(List.of("9"), t.details("flushed"), t.toString());
      assertEquals(List.of("sip:+46850009005@pbx.example.com"), t.forwards(), "the 1 after the flush chose sales");
    } finally {
      examples.stop().await();
    }
  }

  @Test
  @DisplayName("a caller whose script runs out stays silent: the sub-menu's no-input exit takes over")
  void scriptRunsOut() {
    Transcript t = call("press 2");
    assertEquals(3, t.heard().stream().filter("file:support-menu"::equals).count(), t.toString());
    assertEquals(List.of("sip:failsafe@pbx.test"), t.forwards());
    assertEquals("dropped", t.outcome());
  }
}
