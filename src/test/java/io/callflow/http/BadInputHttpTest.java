package io.callflow.http;

import static io.callflow.Fixtures.CALLER;
import static io.callflow.Fixtures.LINE;
import static io.callflow.Fixtures.MONDAY_10;
import static io.callflow.http.FakeCall.heard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Refused input: a 4xx JSON error that names the problem, and the live call it was aimed at carries on. */
@ExtendWith(VertxExtension.class)
class BadInputHttpTest {

  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private WebClient client;
  /** For requests the server refuses by closing: their connections are never pooled for the live call. */
  private WebClient unpooled;
  private FakeCall live;

  @BeforeEach
  void start(Vertx vertx) {
    server = Server.start(vertx, TestConfig.create("src/test/resources/flows", null), clock).await();
    client = WebClient.create(vertx);
    unpooled = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
    live = new FakeCall(client, server.port());
    live.newCall(CALLER, LINE);
    live.ivr();
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  @ParameterizedTest(name = "{0} with {2} → {3}")
  @CsvSource(delimiter = '|', value = {
      "/getIvrCommand | application/json | {\"sessionId\": | malformed JSON",
      "/getIvrCommand | text/plain       | {}                 | Content-Type must be application/json",
      "/getIvrCommand | application/json | ''                 | empty body",
      "/getIvrCommand | application/json | [1,2]              | expected a JSON object",
      "/getIvrCommand | application/json | {\"sessionId\":\"s\",\"replyId\":\"r\",\"dtmfParams\":\"x\"} | field 'dtmfParams' has the wrong type",
      "/newCall       | application/json | {\"calledParty\":\"+46800000001\"} | sessionId is required",
      "/callEvent     | application/json | {\"sessionId\":\"s\",\"event\":\"weird\"} | unknown event 'weird'",
      "/callEvent     | application/json | {\"sessionId\":\"s\"} | event is required",
  })
  @DisplayName("malformed callbacks are refused with 400 and a JSON error naming the problem")
  void refused(String path, String contentType, String body, String error) {
    HttpResponse<Buffer> response = live.raw(path, contentType, body);
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertTrue(response.bodyAsJsonObject().getString("error").contains(error), response.bodyAsString());
    assertEquals("file:support-menu", heard(live.ivr("2")), "the live call is unchanged");
  }

  @Test
  @DisplayName("a body over the limit is refused with 413")
  void tooLarge() {
    String big = new JsonObject().put("sessionId", live.sessionId).put("pad", "x".repeat(70_000)).encode();
    assertEquals(413, live.raw("/getIvrCommand", "application/json", big).statusCode());
  }

  @Test
  @DisplayName("a request line over 2 KiB is refused (414) and so are headers over 16 KiB (431); the live call carries on")
  void oversizedRequestLineAndHeaders() {
    assertTrue(List.of(414, CLOSED).contains(refusal(unpooled.post(server.port(), "127.0.0.1", "/getIvrCommand?"
        + "x".repeat(3000)).putHeader("Content-Type", "application/json"))));
    assertTrue(List.of(431, CLOSED).contains(refusal(unpooled.post(server.port(), "127.0.0.1", "/getIvrCommand")
        .putHeader("Content-Type", "application/json").putHeader("X-Padding", "x".repeat(17 * 1024)))));
    assertEquals("file:support-menu", heard(live.ivr("2")), "the live call is unchanged");
  }

  /** The server answers then closes, before it read the rest: the client may see the close first. */
  private static final int CLOSED = -1;

  private static int refusal(io.vertx.ext.web.client.HttpRequest<Buffer> request) {
    try {
      return request.sendBuffer(Buffer.buffer("{}")).await().statusCode();
    } catch (io.vertx.core.http.HttpClosedException e) {
      return CLOSED;
    }
  }

  @Test
  @DisplayName("unknown paths answer 404 and GET on a callback answers 405, both as JSON")
  void unknownPathAndMethod() {
    HttpResponse<Buffer> missing = live.raw("/nothing", "application/json", "{}");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.bodyAsJsonObject().getString("error").contains("/nothing"));
    HttpResponse<Buffer> get = client.get(server.port(), "127.0.0.1", "/newCall").send().await();
    assertEquals(405, get.statusCode());
  }
}
