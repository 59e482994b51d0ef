package io.callflow.cli;

import io.callflow.config.Tts;
import io.callflow.sim.Ids;
import io.callflow.flow.CallbackKind;
import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.call.CallDriver;
import io.callflow.call.FlowFiles;
import io.callflow.flow.CallIds;
import io.callflow.flow.Caller;
import io.callflow.session.InMemorySessionStore;
import io.callflow.session.Lifetimes;
import io.callflow.session.RedisLink;
import io.callflow.session.RedisSessionStore;
import io.callflow.flow.Session;
import io.callflow.session.SessionStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code callflow footprint}: heap per live call. Starts N calls in memory through the same driver the server
 * uses (newCall, then the first getIvrCommand, so each waits in a menu) and measures the heap before and after.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true, hidden = true,
    footer = {"%nExample:", "  java -Xmx512m -jar callflow.jar footprint"},
    description = "Measure heap bytes per live call with the in-memory session store, or Redis bytes with --redis.")
public final class FootprintCommand implements Callable<Integer> {

  @Option(names = "--calls", description = "Live calls to hold (default: ${DEFAULT-VALUE}).")
  int calls = 100_000;

  @Option(names = "--flows", description = "Flows directory (default: ${DEFAULT-VALUE}).")
  Path flows = Path.of("flows");

  @Option(names = "--to", description = "Called party, picks the flow (default: ${DEFAULT-VALUE}).")
  String to = "+46850001000";

  @Option(names = "--redis", description = "Measure Redis memory per live call instead, with sessions in the "
      + "(empty, dedicated) Redis at this URL.")
  String redis;

  @Override
  public Integer call() throws Exception {
    FlowRegistry registry = FlowFiles.load(flows, null);
    Flow flow = registry.route(to).orElseThrow(() -> new IllegalArgumentException("no flow answers " + to));
    Lifetimes lifetimes = new Lifetimes(Duration.ofHours(4), Duration.ofMinutes(1));
    if (redis != null) {
      Vertx vertx = Vertx.vertx();
      try {
        RedisLink link = RedisLink.open(vertx, redis, "standalone", null);
        long before = usedMemory(link);
        start(registry, flow, new RedisSessionStore(link, lifetimes, Duration.ofSeconds(70)));
        long after = usedMemory(link);
        String first = RedisSessionStore.keyOf(callId(0));
        System.out.printf("live calls: %d in Redis%nused_memory: %.1f MB before, %.1f MB after%n"
                + "redis bytes per live call: %d (one session: %s bytes stored, MEMORY USAGE %s with key and index)%n",
            calls, before / 1e6, after / 1e6, (after - before) / calls,
            link.send(Request.cmd(io.vertx.redis.client.Command.STRLEN).arg(first)).await(),
            link.send(Request.cmd(io.vertx.redis.client.Command.MEMORY).arg("USAGE").arg(first)).await());
        link.close().await();
      } finally {
        vertx.close().await();
      }
      return 0;
    }
    InMemorySessionStore store = new InMemorySessionStore(lifetimes);
    long before = usedHeap();
    start(registry, flow, store);
    long after = usedHeap();
    System.out.printf("live calls: %d (store holds %d), replyIds of %d characters%n"
            + "heap: %.1f MB before, %.1f MB after, max %.0f MB%nbytes per live call: %d%n", calls, store.size().await(),
        Ids.replyId("customer.prod-eu-north-1.iotcomms.io").length(), before / 1e6, after / 1e6,
        Runtime.getRuntime().maxMemory() / 1e6, (after - before) / calls);
    return 0;
  }

  /** Starts {@link #calls} calls through the server's driver, each left waiting in the first menu. */
  private void start(FlowRegistry registry, Flow flow, SessionStore store) {
    CallDriver driver = new CallDriver(registry, store, new Answers(new Tts("aws", "eu-west-1", "Joanna", "en-US")),
        "Sorry.", Clock.systemUTC(), Duration.ofSeconds(1), io.callflow.call.CallMetrics.none(),
        CallDriver.Effects.NONE, io.callflow.report.ActivitySink.NONE);
    for (int i = 0; i < calls; i++) {
      String callId = callId(i);
      Caller caller = new Caller("+4670" + (1_000_000 + i), to, null, Map.of());
      driver.start(new CallDriver.Start(callId, flow, caller, CallIds.of(callId, null), Session.Direction.INBOUND)).await();
      // As the server sees it: ids decoded afresh from each callback, and a replyId as long as the vendor's JWTs.
      String replyId = Ids.replyId("customer.prod-eu-north-1.iotcomms.io");
      driver.step(new CallDriver.Callback(CallbackKind.IVR, new String(callId), replyId,
          CallIds.ivr(new String(callId), replyId, null), new Event.IvrRequest(null), replyId)).await();
    }
  }

  private static String callId(int i) {
    return String.format("%08x-0000-11ef-8000-%012x", i, i);
  }

  private static long usedMemory(RedisLink link) {
    String info = link.send(Request.cmd(io.vertx.redis.client.Command.INFO).arg("memory")).await().toString();
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used_memory:(\\d+)").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("INFO memory without used_memory");
    }
    return Long.parseLong(used.group(1));
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
