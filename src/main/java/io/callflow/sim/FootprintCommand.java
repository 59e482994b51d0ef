package io.callflow.sim;

import io.callflow.flow.Event;
import io.callflow.flow.Flow;
import io.callflow.flow.FlowRegistry;
import io.callflow.mediaservice.Answers;
import io.callflow.server.CallDriver;
import io.callflow.server.FlowFiles;
import io.callflow.session.CallIds;
import io.callflow.session.Caller;
import io.callflow.session.InMemorySessionStore;
import io.callflow.session.Lifetimes;
import io.callflow.session.Session;
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
@Command(name = "footprint", mixinStandardHelpOptions = true,
    description = "Measure heap bytes per live call with the in-memory session store.")
public final class FootprintCommand implements Callable<Integer> {

  @Option(names = "--calls", description = "Live calls to hold (default: ${DEFAULT-VALUE}).")
  int calls = 100_000;

  @Option(names = "--flows", description = "Flows directory (default: ${DEFAULT-VALUE}).")
  Path flows = Path.of("flows");

  @Option(names = "--to", description = "Called party, picks the flow (default: ${DEFAULT-VALUE}).")
  String to = "+46850001000";

  @Override
  public Integer call() throws Exception {
    FlowRegistry registry = FlowFiles.load(flows, null);
    Flow flow = registry.route(to).orElseThrow(() -> new IllegalArgumentException("no flow answers " + to));
    InMemorySessionStore store = new InMemorySessionStore(new Lifetimes(Duration.ofHours(4), Duration.ofMinutes(1)));
    CallDriver driver = new CallDriver(registry, store, new Answers(new Answers.Tts("aws", "eu-west-1", "Joanna", "en-US")),
        "Sorry.", Clock.systemUTC(), Duration.ofSeconds(1), io.callflow.server.CallMetrics.none(),
        CallDriver.Effects.NONE, io.callflow.report.ActivitySink.NONE);
    long before = usedHeap();
    for (int i = 0; i < calls; i++) {
      String callId = String.format("%08x-0000-11ef-8000-%012x", i, i);
      Caller caller = new Caller("+4670" + (1_000_000 + i), to, null, Map.of());
      driver.start(new CallDriver.Start(callId, flow, caller, CallIds.of(callId, null), Session.Direction.INBOUND)).await();
      // As the server sees it: ids decoded afresh from each callback, and a replyId as long as the vendor's JWTs.
      String replyId = Ids.replyId("customer.prod-eu-north-1.iotcomms.io");
      driver.step(new CallDriver.Callback(CallDriver.Kind.IVR, new String(callId), replyId,
          CallIds.ivr(new String(callId), replyId, null), new Event.IvrRequest(null), replyId)).await();
    }
    long after = usedHeap();
    System.out.printf("live calls: %d (store holds %d)%nheap: %.1f MB before, %.1f MB after, max %.0f MB%n"
            + "bytes per live call: %d%n", calls, store.size().await(), before / 1e6, after / 1e6,
        Runtime.getRuntime().maxMemory() / 1e6, (after - before) / calls);
    return 0;
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
