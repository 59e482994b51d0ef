package io.callflow.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Future#timeout} with its timer on the calling event loop. A future without a context (a Redis reply
 * chain, a plain promise) would schedule its timeout on Netty's global executor: another thread woken twice for
 * every callback, measured at a tenth of a callback's CPU in Redis mode.
 */
public final class EventLoopTimeout {

  private EventLoopTimeout() {
  }

  /** {@code future}, or a failure with a {@link TimeoutException} once {@code millis} pass without its result. */
  public static <T> Future<T> within(Future<T> future, long millis) {
    if (future.isComplete()) {
      return future;
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      return future.timeout(millis, TimeUnit.MILLISECONDS);
    }
    Promise<T> timed = Promise.promise();
    long timer = context.owner().setTimer(millis,
        id -> timed.tryFail(new TimeoutException("no result within " + millis + " ms")));
    future.onComplete(result -> {
      context.owner().cancelTimer(timer);
      if (result.succeeded()) {
        timed.tryComplete(result.result());
      } else {
        timed.tryFail(result.cause());
      }
    });
    return timed.future();
  }
}
