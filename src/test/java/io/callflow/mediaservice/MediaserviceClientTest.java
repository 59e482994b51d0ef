package io.callflow.mediaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST client against a stub that answers as told: retries, no retries, timeouts, the breaker, routing. */
@ExtendWith(VertxExtension.class)
class MediaserviceClientTest {

  private HttpServer stub;
  /** What the stub answers next, in order: a status (200 answers success true), "false" or "silent". */
  private final Deque<String> answers = new ArrayDeque<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private MediaserviceClient client;

  @BeforeEach
  void start(Vertx vertx) {
    stub = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(request.path() + " " + request.getHeader("Authorization") + " " + body);
      String answer;
      synchronized (answers) {
        answer = answers.isEmpty() ? "200" : answers.poll();
      }
      switch (answer) {
        case "silent" -> { }
        case "false" -> request.response().end(new JsonObject().put("success", false).encode());
        default -> request.response().setStatusCode(Integer.parseInt(answer))
            .end(new JsonObject().put("success", answer.equals("200")).encode());
      }
    })).listen(0, "127.0.0.1").await();
    client = new MediaserviceClient(vertx, new AppConfig.Mediaservice("http://127.0.0.1:" + stub.actualPort() + "/ms",
        "tenant.example", "secret-token", null, 300, 2), ApiToken.of(vertx, new AppConfig.Mediaservice("http://x",
        "tenant.example", "secret-token", null, 300, 2), null, Clock.systemUTC()),
        (operation, outcome, nanos) -> outcomes.add(operation + " " + outcome));
  }

  @AfterEach
  void stop() {
    client.close();
    stub.close().await();
  }

  private void answer(String... next) {
    synchronized (answers) {
      answers.addAll(List.of(next));
    }
  }

  private static MediaserviceException failure(Future<Void> request) {
    try {
      request.await();
    } catch (Exception e) {
      return assertInstanceOf(MediaserviceException.class, e);
    }
    throw new AssertionError("the request succeeded");
  }

  @Test
  @DisplayName("a harmless request is retried after a 5xx and succeeds; each attempt is counted")
  void retried() {
    answer("503", "502");
    client.hangup(null, "p-1", "r-1", "s-1").await();
    assertEquals(3, received.size());
    assertEquals("/ms/tenant.example/hangupparticipant Bearer secret-token "
        + "{\"participantId\":\"p-1\",\"replyId\":\"r-1\",\"sessionId\":\"s-1\"}", received.get(2));
    assertEquals(List.of("hangupparticipant 503", "hangupparticipant 502", "hangupparticipant ok"), outcomes);
  }

  @Test
  @DisplayName("placeivrcall and startrecording are never repeated: a repeat could ring or record twice")
  void notRetried() {
    answer("503", "503");
    assertEquals(503, failure(client.placeIvrCall(new MediaserviceClient.PlaceCall("sip:a@b", "+461", null, 30,
        new CallReference("c-1", "support", "v1")))).status());
    assertEquals(503, failure(client.startRecording(null, "conn", "r", "f.wav")).status());
    assertEquals(2, received.size());
    assertTrue(received.get(0).contains("\"sessionReferenceId\":{\"callId\":\"c-1\",\"flow\":\"support\",\"version\":\"v1\"}"), received.get(0));
    assertTrue(!received.get(0).contains("displayName"), "null fields are left out");
  }

  @Test
  @DisplayName("a 4xx or success false is an answer: not retried, and it does not trip the breaker")
  void refused() {
    answer("404", "false");
    assertEquals(404, failure(client.interrupt(null, "s", "r")).status());
    assertEquals(200, failure(client.stopRecording(null, "c", "r")).status());
    for (int i = 0; i < MediaserviceClient.FAILURES_TO_OPEN; i++) {
      answer("409");
      failure(client.interrupt(null, "s", "r"));
    }
    client.interrupt(null, "s", "r").await();
    assertEquals(MediaserviceClient.FAILURES_TO_OPEN + 3, received.size());
  }

  @Test
  @DisplayName("no answer within the timeout fails as noAnswer")
  void timeout() {
    answer("silent");
    long began = System.nanoTime();
    MediaserviceException failed = failure(client.placeIvrCall(new MediaserviceClient.PlaceCall("sip:a@b", null, null,
        30, new CallReference("c-1", "support", "v1"))));
    assertEquals(MediaserviceException.NO_ANSWER, failed.status());
    assertTrue(System.nanoTime() - began < 2_000_000_000L);
    assertEquals(List.of("placeivrcall noAnswer"), outcomes);
  }

  @Test
  @DisplayName("twenty failures in a few seconds open the breaker: later requests fail at once without being sent")
  void breaker() {
    for (int i = 0; i < MediaserviceClient.FAILURES_TO_OPEN; i++) {
      answer("500");
      failure(client.startRecording(null, "c", "r", "f"));
    }
    MediaserviceException open = failure(client.startRecording(null, "c", "r", "f"));
    assertEquals(MediaserviceException.NOT_SENT, open.status());
    assertEquals(MediaserviceClient.FAILURES_TO_OPEN, received.size());
    assertEquals("startrecording circuitOpen", outcomes.get(outcomes.size() - 1));
  }

  @Test
  @DisplayName("a call's siteBaseUrl takes the place of the configured base URL")
  void site() {
    client.interrupt("http://127.0.0.1:" + stub.actualPort() + "/site-a/", "s", "r").await();
    assertTrue(received.get(0).startsWith("/site-a/tenant.example/interruptivrcommand "), received.get(0));
  }
}
