package io.callflow.session;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run atomically in Redis. Sent by its SHA-1 (a few bytes per call); a Redis that does not know it yet
 * (first use, or a restart emptied its script cache) gets the whole text once.
 */
record RedisScript(String source, String sha1) {

  static RedisScript of(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new RedisScript(source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the script with {@code keys}, then {@code args} (String, byte[] or long). */
  Future<Response> run(RedisLink link, String[] keys, Object... args) {
    return link.send(request(Command.EVALSHA, sha1, keys, args)).recover(failure ->
        failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
            ? link.send(request(Command.EVAL, source, keys, args))
            : Future.failedFuture(failure));
  }

  private static Request request(Command command, String script, String[] keys, Object[] args) {
    Request request = Request.cmd(command).arg(script).arg(keys.length);
    for (String key : keys) {
      request.arg(key);
    }
    for (Object arg : args) {
      if (arg instanceof byte[] bytes) {
        request.arg(bytes);
      } else if (arg instanceof Long number) {
        request.arg(number);
      } else {
        request.arg(String.valueOf(arg));
      }
    }
    return request;
  }
}
