package io.callflow.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventLoopTimeoutTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs {@code within} on an event loop and reports the result and the thread that delivered it. */
  private CompletableFuture<Object[]> onEventLoop(Future<String> future, long millis) {
    CompletableFuture<Object[]> outcome = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> EventLoopTimeout.within(future, millis).onComplete(result ->
        outcome.complete(new Object[] {result.succeeded() ? result.result() : result.cause(),
            Thread.currentThread().getName()})));
    return outcome;
  }

  @Test
  @DisplayName("a result in time is passed on")
  void inTime() throws Exception {
    Promise<String> promise = Promise.promise();
    CompletableFuture<Object[]> outcome = onEventLoop(promise.future(), 5_000);
    vertx.setTimer(20, id -> promise.complete("stepped"));
    assertEquals("stepped", outcome.get(5, TimeUnit.SECONDS)[0]);
  }

  @Test
  @DisplayName("no result in time: a TimeoutException, delivered by the calling event loop's own timer")
  void late() throws Exception {
    Promise<String> never = Promise.promise();
    Object[] outcome = onEventLoop(never.future(), 50).get(5, TimeUnit.SECONDS);
    assertInstanceOf(TimeoutException.class, outcome[0]);
    assertTrue(((String) outcome[1]).startsWith("vert.x-eventloop-thread"), "timed out on " + outcome[1]);
  }

  @Test
  @DisplayName("a result already there is returned as it is, with no timer")
  void alreadyThere() {
    Future<String> done = Future.succeededFuture("done");
    assertSame(done, EventLoopTimeout.within(done, 1));
  }
}
