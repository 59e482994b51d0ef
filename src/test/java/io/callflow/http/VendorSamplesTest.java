package io.callflow.http;

import static io.callflow.Fixtures.MONDAY_10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every request sample of seed 004, sent verbatim (src/test/resources/vendor): each gets a 2xx, and an answer whose
 * every key, type and enum value the document's response schema for that callback allows.
 */
@ExtendWith(VertxExtension.class)
class VendorSamplesTest {

  /** The callbacks in the order a call meets them; the samples share one sessionId, so they make one call. */
  static final List<String> IN_CALL_ORDER = List.of("getCallIdentifier", "newCall", "getIvrCommand", "callNotify",
      "callAnswered", "callEvent", "recordingReady", "alarm", "sessionCompleted", "newRemoteCall");

  private final MutableClock clock = new MutableClock(MONDAY_10);
  private Server server;
  private WebClient client;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @ParameterizedTest(name = "default flow: {0}")
  @ValueSource(strings = {"", "test-line"})
  @DisplayName("each vendor sample, verbatim, is answered 2xx in the documented shape, with or without a flow for it")
  void everySampleIsAnsweredInShape(String defaultFlow, Vertx vertx) throws IOException {
    server = Server.start(vertx, TestConfig.create("src/test/resources/flows", defaultFlow.isEmpty() ? null
        : defaultFlow), clock).await();
    client = WebClient.create(vertx);
    for (String callback : IN_CALL_ORDER) {
      String sample = Files.readString(Path.of("src/test/resources/vendor", callback + ".json"));
      String path = "/" + callback;
      HttpResponse<Buffer> response = client.post(server.port(), "127.0.0.1", path)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(sample)).await();
      assertEquals(2, response.statusCode() / 100, callback + " answered " + response.statusCode() + " "
          + response.bodyAsString());
      JsonObject answer = response.bodyAsJsonObject();
      assertEquals(List.of(), VendorSchema.problems(callback, answer), callback + " → " + answer.encode());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"newCall", "getIvrCommand", "callEvent", "callNotify", "callAnswered", "recordingReady",
      "sessionCompleted", "getCallIdentifier", "alarm", "newRemoteCall"})
  @DisplayName("every callback has its vendor sample as a fixture, and the fixture is the document's JSON")
  void fixturesExist(String callback) throws IOException {
    String sample = Files.readString(Path.of("src/test/resources/vendor", callback + ".json"));
    assertTrue(sample.startsWith("{"), callback);
    Path seeds = Path.of("/work/shared/seeds");
    String seed = !Files.isDirectory(seeds) ? null : Files.list(seeds)
        .filter(p -> p.getFileName().toString().startsWith("004_")).findFirst().map(VendorSamplesTest::read)
        .orElse(null);
    if (seed != null) {
      // Where the document is at hand: the fixture, white space apart, is a piece of it with the markers removed.
      assertTrue(compact(seed).contains(compact(sample.replace("\\\"", "\""))), callback + " is not seed 004's sample");
    }
  }

  /** JSON text without white space, and without the rendering's "- " list markers. */
  private static String compact(String text) {
    return text.replaceAll("\\s+", "").replaceAll("([{\\[,])-(?=[\"{\\[])", "$1");
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      return null;
    }
  }
}
