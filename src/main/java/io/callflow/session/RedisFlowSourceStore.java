package io.callflow.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow versions in Redis, one key per version ({@code cf:flow:<id>@<version>}, the file's bytes). A key lives
 * {@value #KEEP_DAYS} days from the last time any instance loaded that version: a call pinned to a version far
 * older than any live file is not expected. A save that fails (Redis away at load time) is retried every few
 * seconds until it succeeds or a newer save of the same version replaces it.
 */
public final class RedisFlowSourceStore implements FlowSourceStore {

  private static final Logger LOG = LoggerFactory.getLogger("callflow.flows");
  static final int KEEP_DAYS = 30;
  private static final long RETRY_MILLIS = 3000;

  private record Pending(String flowId, String version, byte[] source) {
  }

  private final Vertx vertx;
  private final RedisLink link;
  private final Map<String, Pending> unsaved = new ConcurrentHashMap<>();

  public RedisFlowSourceStore(Vertx vertx, RedisLink link) {
    this.vertx = vertx;
    this.link = link;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void save(String flowId, String version, byte[] source) {
    Pending pending = new Pending(flowId, version, source);
    unsaved.put(key(flowId, version), pending);
    write(pending);
  }

  private void write(Pending pending) {
    String key = key(pending.flowId(), pending.version());
    link.send(Request.cmd(Command.SET).arg(key).arg(pending.source()).arg("EX")
            .arg(Duration.ofDays(KEEP_DAYS).toSeconds()))
        .onSuccess(ok -> {
          if (unsaved.remove(key, pending)) {
            LOG.debug("flow.shared flow={} version={}", pending.flowId(), pending.version());
          }
        })
        .onFailure(e -> {
          if (!link.closed() && unsaved.get(key) == pending) {
            LOG.warn("flow.share failed flow={} version={} cause={} (retrying)", pending.flowId(), pending.version(),
                e.toString());
            vertx.setTimer(RETRY_MILLIS, t -> {
              if (unsaved.get(key) == pending) {
                write(pending);
              }
            });
          }
        });
  }

  @Override
  public Future<byte[]> load(String flowId, String version) {
    return link.send(Request.cmd(Command.GET).arg(key(flowId, version)))
        .map(value -> value == null ? null : value.toBytes());
  }

  static String key(String flowId, String version) {
    return "cf:flow:" + flowId + "@" + version;
  }
}
