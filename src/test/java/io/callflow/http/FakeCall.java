package io.callflow.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.UUID;

/** One call as the mediaservice would post it, step by step, blocking the test thread on each answer. */
final class FakeCall {

  final String sessionId = UUID.randomUUID().toString();
  private final WebClient client;
  private final int port;
  private JsonObject reference;
  String lastReplyId;

  FakeCall(WebClient client, int port) {
    this.client = client;
    this.port = port;
  }

  JsonObject newCall(String from, String to) {
    JsonObject answer = post("/newCall", new JsonObject().put("sessionId", sessionId).put("callingParty", from)
        .put("calledParty", to).put("sipCallId", 12345).put("xHeaders", new JsonObject().put("x-tier", "gold")));
    reference = answer.getJsonObject("sessionReferenceId", reference);
    return answer;
  }

  /** The first getIvrCommand, with no DTMF outcome. */
  JsonObject ivr() {
    return ivrWith(new JsonObject());
  }

  /** A getIvrCommand reporting {@code digits} (empty = the caller pressed nothing). */
  JsonObject ivr(String digits) {
    JsonObject dtmf = new JsonObject().put("dtmfMatch", digits).put("reason", digits.isEmpty() ? "firstTimeout" : "maxDigits");
    return ivrWith(new JsonObject().put("dtmfParams", dtmf).put("dtmfBuffer", digits));
  }

  JsonObject ivrWith(JsonObject fields) {
    lastReplyId = "eyJ." + UUID.randomUUID() + ".sig";
    return post("/getIvrCommand", fields.put("sessionId", sessionId).put("replyId", lastReplyId)
        .put("sessionReferenceId", reference));
  }

  JsonObject event(String event, Integer sipCode) {
    JsonObject body = new JsonObject().put("event", event).put("sessionId", sessionId)
        .put("sessionReferenceId", reference).put("connectionId", "conn-1");
    if (sipCode != null) {
      body.put("sipResponseCode", sipCode);
    }
    return post("/callEvent", body);
  }

  JsonObject answered() {
    return post("/callAnswered", new JsonObject().put("connectionId", "conn-1").put("replyId", "answered-reply")
        .put("sessionReferenceId", reference).put("httpTransactionId", UUID.randomUUID().toString()));
  }

  JsonObject completed() {
    return post("/sessionCompleted", new JsonObject().put("sessionId", sessionId).put("sessionReferenceId", reference)
        .put("httpTransactionId", UUID.randomUUID().toString()).put("reason", "normal"));
  }

  JsonObject post(String path, JsonObject body) {
    HttpResponse<Buffer> response = raw(path, "application/json", body.encode());
    if (response.statusCode() != 200) {
      throw new AssertionError(path + " answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> raw(String path, String contentType, String body) {
    return client.post(port, "127.0.0.1", path).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)).await();
  }

  /** The text of every awstts phrase, file name of every file phrase, of an IVR command. */
  static String heard(JsonObject command) {
    StringBuilder heard = new StringBuilder();
    command.getJsonArray("phrases").forEach(p -> {
      JsonObject phrase = (JsonObject) p;
      heard.append(heard.length() == 0 ? "" : " | ").append("file".equals(phrase.getString("format"))
          ? "file:" + phrase.getString("fileName") : phrase.getJsonObject("awsTTSParameters").getString("Text"));
    });
    return heard.toString();
  }
}
