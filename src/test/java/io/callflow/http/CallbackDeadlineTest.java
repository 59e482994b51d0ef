package io.callflow.http;

import io.callflow.config.Tts;
import io.callflow.call.CallDriver;
import io.callflow.call.CallMetrics;
import io.callflow.call.FlowFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callflow.flow.CallbackKind;
import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A session store that never answers must not leave the mediaservice waiting: the failsafe goes out at the deadline. */
class CallbackDeadlineTest {

  /** A store that hangs, as an unreachable remote store would. */
  static final class HangingStore implements SessionStore {
    @Override
    public <T> Future<T> update(String callId, Function<Session, Change<T>> fn) {
      return Promise.<T>promise().future();
    }

    @Override
    public Future<Session> get(String callId) {
      return Promise.<Session>promise().future();
    }

    @Override
    public Future<Void> alias(String alias, String callId) {
      return Promise.<Void>promise().future();
    }

    @Override
    public Future<String> resolve(String alias) {
      return Promise.<String>promise().future();
    }

    @Override
    public Future<List<Session>> reap(Instant now) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<List<Session>> live() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Integer> size() {
      return Future.succeededFuture(0);
    }
  }

  @Test
  @DisplayName("newCall gets the flow's failsafe forward and getIvrCommand the apology, both within the deadline")
  void failsafeAtDeadline() throws Exception {
    FlowRegistry flows = FlowFiles.load(Path.of("src/test/resources/flows"), null);
    Flow flow = flows.current("test-line").orElseThrow();
    CallDriver driver = new CallDriver(flows, new HangingStore(),
        new Answers(new Tts("aws", "eu-west-1", "Joanna", "en-US")), "Sorry.", Clock.systemUTC(),
        Duration.ofMillis(200), CallMetrics.none(), CallDriver.Effects.NONE, io.callflow.report.ActivitySink.NONE);
    long began = System.nanoTime();
    String newCall = driver.start(new CallDriver.Start("c1", flow, new Caller("+461", "+462", null, Map.of()),
        CallIds.of("c1", null), Session.Direction.INBOUND)).await();
    assertEquals("sip:failsafe@pbx.test", new JsonObject(newCall).getString("destAddr"));
    String ivr = driver.step(new CallDriver.Callback(CallbackKind.IVR, "c1", "r1", CallIds.of("c1", null),
        new Event.IvrRequest(null), "r1")).await();
    long elapsedMillis = (System.nanoTime() - began) / 1_000_000;
    assertEquals(Boolean.TRUE, new JsonObject(ivr).getBoolean("hangup"));
    assertEquals("r1", new JsonObject(ivr).getString("replyId"));
    assertTrue(elapsedMillis >= 400 && elapsedMillis < 2000, "two deadlines of 200 ms, took " + elapsedMillis);
  }
}
