package io.callflow.http;

import static io.callflow.Eventually.eventually;
import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.http.FakeCall.heard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Editing flow files under a running server: good edits take over for new calls, running calls keep theirs. */
@ExtendWith(VertxExtension.class)
class HotReloadTest {

  static final String OLD_MENU = "Press 1 for sales, 2 for support, 3 for your account.";
  static final String NEW_MENU = "New menu: press 1, 2 or 3, or wait.";

  @TempDir
  Path flows;
  private Server server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    TestConfig.copyFlows(flows);
    server = Server.start(vertx, TestConfig.create(flows.toString(), null),
        new MutableClock(MONDAY_10)).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  private FakeCall call() {
    return new FakeCall(client, server.port());
  }

  /** Writes through a temporary file and a move, as editors and `PUT` should, so no half file is ever read. */
  private void write(String file, String content) throws IOException {
    Path temporary = flows.resolve(file + ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, flows.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Flow files the watcher rejected since start, from /metrics. */
  private double rejectedReloads() {
    String metrics = client.get(server.adminPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    Matcher rejected = Pattern.compile("callflow_flow_reloads_total\\{outcome=\"rejected\"} (\\S+)").matcher(metrics);
    return rejected.find() ? Double.parseDouble(rejected.group(1)) : 0;
  }

  private String firstPrompt() {
    FakeCall probe = call();
    probe.newCall(CALLER, LINE);
    return heard(probe.ivr());
  }

  @Test
  @DisplayName("an edited flow serves new calls while a call already running stays on its version to the end")
  void editDuringCall() throws Exception {
    FakeCall running = call();
    JsonObject started = running.newCall(CALLER, LINE);
    assertEquals(OLD_MENU, heard(running.ivr()));

    String original = Files.readString(flows.resolve("test-line.json"));
    write("test-line.json", original.replace(OLD_MENU, NEW_MENU));
    eventually("new calls hear the edited menu", this::firstPrompt, NEW_MENU::equals);

    assertEquals("That is not a valid choice. | " + OLD_MENU, heard(running.ivr("9")), "still the old version");
    FakeCall fresh = call();
    JsonObject freshStart = fresh.newCall(CALLER, LINE);
    assertNotEquals(started.getJsonObject("sessionReferenceId").getString("version"),
        freshStart.getJsonObject("sessionReferenceId").getString("version"));
    assertEquals("file:support-menu", heard(running.ivr("2")), "the running call goes on");
  }

  @Test
  @DisplayName("a broken edit is rejected and the previous version keeps serving; a deleted file retires its flow")
  void brokenEditAndDelete() throws Exception {
    write("test-line.json", "{\"id\": \"test-line\", \"start\": \"nowhere\", \"states\": {}}");
    eventually("the watcher rejected the broken edit", () -> rejectedReloads() >= 1);
    assertEquals(OLD_MENU, firstPrompt());

    FakeCall direct = call();
    assertEquals("call", direct.newCall(CALLER, "+46800000002").getString("action"));
    Files.delete(flows.resolve("direct.json"));
    eventually("the deleted flow's number is no longer answered",
        () -> call().newCall(CALLER, "+46800000002").getString("dropCode", ""), "numberNotFound"::equals);
    CallFlowHttpTest.assertDrop("busy", direct.event("calledPartyFailure", 486));
  }
}
