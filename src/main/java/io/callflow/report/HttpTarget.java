package io.callflow.report;

import io.callflow.config.ReportConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * POSTs each record as JSON to one URL: the Expertflow CX message or the record itself (webhook). Every request
 * carries the record id as {@code Idempotency-Key}, so a receiver can drop a record it already has.
 */
final class HttpTarget implements Target {

  static final long TIMEOUT_MILLIS = 10_000;

  private final WebClient client;
  private final String url;
  private final Map<String, String> headers;
  private final Function<ActivityRecord, Buffer> body;

  HttpTarget(WebClient client, String url, Map<String, String> headers, Function<ActivityRecord, Buffer> body) {
    this.client = client;
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  static HttpTarget expertflow(WebClient client, ReportConfig.Expertflow config) {
    String base = config.fqdn().endsWith("/") ? config.fqdn().substring(0, config.fqdn().length() - 1) : config.fqdn();
    return new HttpTarget(client, base + "/ccm/message/receive", Map.of(),
        record -> Buffer.buffer(ExpertflowMessage.of(record, config).toString()));
  }

  static HttpTarget webhook(WebClient client, ReportConfig.Webhook config) {
    return new HttpTarget(client, config.url(), config.headers(), record -> Buffer.buffer(RecordCodec.encode(record)));
  }

  @Override
  public Future<List<Result>> send(List<Entry> batch) {
    List<Future<Result>> posts = batch.stream().map(this::post).toList();
    return Future.join(posts).transform(done -> Future.succeededFuture(posts.stream().map(Future::result).toList()));
  }

  private Future<Result> post(Entry entry) {
    HttpRequest<Buffer> request = client.postAbs(url).timeout(TIMEOUT_MILLIS)
        .putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", entry.id());
    headers.forEach(request::putHeader);
    Buffer payload = body.apply(entry.record());
    return request.sendBuffer(payload)
        .map(response -> Result.ofStatus(response.statusCode(), response.bodyAsString(), payload.toString()))
        .otherwise(failure -> new Result.Retry(String.valueOf(failure.getMessage())));
  }
}
