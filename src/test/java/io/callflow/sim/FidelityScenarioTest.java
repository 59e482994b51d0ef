package io.callflow.sim;

import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.Fixtures.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.callflow.http.MutableClock;
import io.callflow.http.Server;
import io.callflow.http.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's defects a caller hears, played by the simulator as seed 004 describes the mediaservice: hold music
 * that plays on until stopped, keys pressed while recording, numbers in /callAnswered, hashed DTMF; and every REST
 * request callflow makes checked against the documented operation body.
 */
@ExtendWith(VertxExtension.class)
class FidelityScenarioTest {

  static final String TOKEN = "api-token-0123456789";
  static final String LINE = "+46800000077";
  /** Digits only, so that the simulator sends it in /callAnswered as a JSON number, as the vendor's sample does. */
  static final String CALLER = "46701234567";

  @TempDir
  Path dir;
  private Vertx vertx;
  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private Simulator simulator;
  private MediaserviceApi api;
  private HttpServer stub;
  private int apiPort;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    stub = vertx.createHttpServer().requestHandler(request -> vertx.setTimer(50, t -> request.response()
        .putHeader("Content-Type", "application/json").end("{}"))).listen(0, "127.0.0.1").await();
    Files.writeString(dir.resolve("fidelity.json"), Files.readString(Path.of("src/test/resources/fidelity/fidelity.json"))
        .replace("STUB_PORT", String.valueOf(stub.actualPort())));
    apiPort = freePort();
  }

  @AfterEach
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (server != null) {
      server.stop().await();
    }
    stub.close().await();
  }

  private void startBoth(UnaryOperator<SimConfig> settings) {
    AppConfig config = TestConfig.withMediaservice(TestConfig.create(dir.toString(), null),
        "http://127.0.0.1:" + apiPort, TOKEN);
    config = TestConfig.withOutbound(config, new AppConfig.Outbound("trunk.test", "+46850001000", 30, null),
        new AppConfig.Http(List.of("127.0.0.1"), 65536));
    server = Server.start(vertx, config, clock).await();
    simulator = new Simulator(vertx, settings.apply(SimConfig.local(server.port()).compressed(100)));
    api = simulator.startApi(apiPort, MediaserviceApi.tokens(TOKEN), MediaserviceApi.scripts(Map.of())).await();
  }

  private Transcript inbound(String script) throws Exception {
    Transcript transcript = simulator.inbound(CALLER, LINE, script).await(30, TimeUnit.SECONDS);
    assertEquals(List.of(), transcript.protocolErrors(), transcript.toString());
    return transcript;
  }

  /**
   * The operations the REST API was asked for, once {@code count} have come (callflow sends them after it answers,
   * so the last may come after the call's transcript is complete), for at most five seconds.
   */
  private List<String> operations(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (api.requests().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return api.requests().stream().map(MediaserviceApi.Request::operation).toList();
  }

  /** Every REST request callflow made has the documented body, a Bearer token, and was accepted. */
  private void assertRestAsDocumented() {
    for (MediaserviceApi.Request request : api.requests()) {
      assertEquals(null, request.problem(), request.toString());
      assertEquals("Bearer " + TOKEN, request.authorization(), request.toString());
      assertEquals(200, request.status(), request.toString());
    }
  }

  @Test
  @DisplayName("after an http state's hold music and its interrupt, the next menu stops the background prompt")
  void holdMusicStopsAtTheNextMenu() throws Exception {
    // Real time: the hold (timeout + 2 s) must outlast the stub's answer, as at the mediaservice.
    startBoth(sim -> sim.compressed(1));
    Transcript t = inbound("press 2; wait 3s; press 1");
    assertEquals(List.of("Main menu.", "One moment.", "After menu.", "Goodbye."), t.heard());
    assertEquals(List.of("hold-music"), t.details("background"));
    assertEquals(List.of("hold-music"), t.details("background-stop"), t.toString());
    assertEquals(List.of(), t.details("hold"), "hold music played under a later command: " + t);
    assertEquals(List.of("interruptivrcommand"), operations(1));
    assertRestAsDocumented();
  }

  @Test
  @DisplayName("while recording a voicemail only the stop key ends it: a 5 is ignored and the message goes on")
  void voicemailEndsOnlyOnItsStopKey() throws Exception {
    // The caller speaks 2 s of real time: startrecording (sent as the command goes out) is there long before.
    startBoth(sim -> sim.compressed(10).withIvrAnswered());
    Transcript t = inbound("press 3; wait 20s; press 5#");
    assertEquals(List.of("Main menu.", "Leave a message.", "Thanks."), t.heard());
    // The 5 stayed in the recording's collection until the stop key; before the fix it ended it (maxDigits 5).
    assertEquals(List.of("maxDigits 3", "terminationKey 5"), t.collected(), t.toString());
    assertEquals(List.of("startrecording", "stoprecording"), operations(2));
    assertRestAsDocumented();
  }

  @Test
  @DisplayName("/callAnswered with the numbers as JSON numbers (the vendor's sample) reaches the call: recording works")
  void callAnsweredWithNumbers() throws Exception {
    startBoth(sim -> sim.compressed(10).withIvrAnswered());
    Transcript t = inbound("press 3; wait 20s; press #");
    assertEquals("callAnswered", t.callbacks().get(1), t.toString());
    assertEquals(List.of("startrecording", "stoprecording"), operations(2), t.toString());
    assertRestAsDocumented();
  }

  @Test
  @DisplayName("the simulator's REST API refuses what the document does not describe: unknown fields, wrong types, no Bearer")
  void restBodiesAreChecked() {
    assertEquals(null, RestBodies.problem("interruptivrcommand",
        new JsonObject().put("replyId", "r").put("sessionId", "s")));
    assertTrue(RestBodies.problem("interruptivrcommand", new JsonObject().put("replyId", "r")).contains("sessionId"));
    assertTrue(RestBodies.problem("placeivrcall", new JsonObject().put("destAddr", "sip:a@b").put("from", "x"))
        .contains("'from'"));
    assertTrue(RestBodies.problem("placeivrcall", new JsonObject().put("destAddr", "sip:a@b").put("maxRingTime", "30"))
        .contains("number"));
    assertEquals(false, RestBodies.bearer("Basic abc"));
    assertEquals(false, RestBodies.bearer("Bearer "));
    assertEquals(true, RestBodies.bearer("Bearer abc"));
  }

  @Test
  @DisplayName("under md5 encryption the simulator reports the hex MD5 of salt + digits, and no digits as none")
  void hashedDtmf() {
    Dtmf dtmf = Dtmf.parse(new JsonObject().put("maxDigits", 4)
        .put("encryption", new JsonObject().put("type", "md5").put("salt", "s4lt")));
    assertEquals("c19fb16819d5b15f1109afb37da7a729", dtmf.protect("1234"));
    assertEquals("", dtmf.protect(""));
    assertEquals("1234", Dtmf.parse(new JsonObject()).protect("1234"));
  }

  @Test
  @DisplayName("an encrypted PIN: the simulator hashes as documented, callflow matches the right PIN and refuses a wrong one")
  void encryptedPinThroughTheSimulator() throws Exception {
    startBoth(sim -> sim);
    assertEquals(List.of("Main menu.", "Enter your PIN.", "PIN accepted."), inbound("press 4; press 1234").heard());
    assertEquals(List.of("Main menu.", "Enter your PIN.", "Goodbye."), inbound("press 4; press 9999").heard());
  }
}
