package io.callflow.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.UUID;

/**
 * Posts the mediaservice's callbacks to callflow, adding the fields every callback carries, and turns anything but
 * a timely 200 with a JSON object into a {@link ProtocolError}. Tells the listener each callback's latency.
 */
final class CallbackClient {

  /** The media node every simulated callback comes from. */
  static final String IVR_SERVER = "10.0.0.1";
  static final String SITE_ID = "siteA";
  private static final int RESENDS = 3;
  private static final long RESEND_PAUSE_MILLIS = 20;

  private final Vertx vertx;
  private final WebClient client;
  private final SimConfig config;
  private final CallbackListener listener;

  CallbackClient(Vertx vertx, WebClient client, SimConfig config, CallbackListener listener) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
    this.listener = listener;
  }

  /**
   * Posts callback {@code name}; latency counts from {@code intendedNanos}, when it was due, so a slow server cannot
   * hide its queueing delay behind a late start.
   */
  Future<JsonObject> post(String name, JsonObject body, long intendedNanos, Transcript transcript) {
    body.put("ivrServer", IVR_SERVER).put("httpTransactionId", UUID.randomUUID().toString());
    // The vendor leaves the site fields out of recordingReady only.
    if (config.siteBaseUrl() != null && !name.equals("recordingReady")) {
      body.put("siteId", SITE_ID).put("siteBaseUrl", config.siteBaseUrl());
    }
    transcript.add("callback", name);
    SimConfig.Target target = config.target();
    HttpRequest<Buffer> request = client.post(target.port(), target.host(), target.basePath() + "/" + name)
        .ssl(target.ssl())
        .timeout(config.limits().timeoutMillis())
        .putHeader("Content-Type", "application/json");
    if (config.authorization() != null) {
      request.putHeader("Authorization", config.authorization());
    }
    Buffer payload = body.toBuffer();
    Future<HttpResponse<Buffer>> sent = send(request, payload, RESENDS);
    if (config.duplicates()) {
      sent = sent.compose(first -> request.sendBuffer(payload).map(second -> {
        if (!String.valueOf(first.bodyAsString()).equals(String.valueOf(second.bodyAsString()))) {
          transcript.protocolError(name + " repeated got a different answer: " + second.bodyAsString());
        }
        return second;
      }));
    }
    return sent.transform(result -> {
      long latency = System.nanoTime() - intendedNanos;
      if (result.failed()) {
        listener.answered(name, latency, false);
        return Future.failedFuture(new ProtocolError(name + " failed: " + result.cause().getMessage()));
      }
      HttpResponse<Buffer> response = result.result();
      listener.answered(name, latency, response.statusCode() == 200);
      try {
        return Future.succeededFuture(answer(name, response));
      } catch (ProtocolError e) {
        return Future.failedFuture(e);
      }
    });
  }

  /**
   * Like any HTTP client, resends (same httpTransactionId, so callflow answers a repeat as before) when a kept-alive
   * connection turns out closed under the request. A short pause first lets the pool drop the other connections the
   * server closed at the same moment; several times, as more of them may be stale still.
   */
  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, Buffer payload, int resends) {
    return request.sendBuffer(payload).recover(e -> resends > 0 && closedUnderneath(e)
        ? vertx.timer(RESEND_PAUSE_MILLIS).compose(t -> send(request, payload, resends - 1)) : Future.failedFuture(e));
  }

  /** The server closed a kept-alive connection as the request went out on it: nothing of it was answered. */
  private static boolean closedUnderneath(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return message.contains("Connection reset") || message.contains("onnection was closed");
  }

  private static JsonObject answer(String name, HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw new ProtocolError(name + " answered HTTP " + response.statusCode() + " " + response.bodyAsString());
    }
    Buffer body = response.body();
    if (body == null || body.toString().isBlank()) {
      throw new ProtocolError(name.equals("getIvrCommand") ? "Empty body in getIvrCommand response"
          : name + " answered an empty body");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolError(name + " answered something that is not a JSON object: " + abbreviated(body));
    }
  }

  private static String abbreviated(Buffer body) {
    String text = body.toString();
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
