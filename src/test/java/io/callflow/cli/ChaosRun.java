package io.callflow.cli;

import io.callflow.session.RedisProcess;
import io.callflow.sim.CallerScript;
import io.callflow.sim.MediaserviceApi;
import io.callflow.sim.SimConfig;
import io.callflow.sim.Simulator;
import io.callflow.sim.Transcript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The chaos run (bench/chaos.sh, and shorter as ChaosIT): two callflow processes on one Redis with AOF, behind a
 * balancer that sends each callback to a random instance (and to the other when its instance is down); the
 * simulator plays the mediaservice and its REST API. Calls carry effects: voicemail (startrecording and
 * stoprecording), an http lookup with hold music ended by interruptivrcommand, outbound calls (placeivrcall), and
 * operator hang-ups (hangupparticipant); every instance exports records to a JSON-lines file. Faults: random
 * {@code kill -9}, kills aimed right after an answer that orders kept work (the fault file), a Redis restart. Then
 * everything is counted from what the mediaservice received, what callers heard and what was exported.
 */
final class ChaosRun {

  static final String VOICEMAIL = "+46850007001";
  static final String LOOKUP = "+46850007002";
  static final String SAVED = "Thank you, your message has been recorded.";
  static final String DOWN = "Sorry, the system is down.";
  static final String ADMIN_TOKEN = "chaos-admin-token-0123456789";

  record Options(Path dir, int seconds, int rate, long seed) {
  }

  /** What the run counted; {@link #clean} is the goal. */
  record Result(Map<String, Integer> counts, List<String> problems, List<String> notes) {

    boolean clean() {
      return problems.isEmpty();
    }

    String report() {
      StringBuilder text = new StringBuilder();
      counts.forEach((name, value) -> text.append(String.format("  %-44s %d%n", name, value)));
      notes.forEach(n -> text.append("  note: ").append(n).append('\n'));
      text.append(problems.isEmpty() ? "  no problems\n" : "  problems:\n");
      problems.stream().limit(40).forEach(p -> text.append("    ").append(p).append('\n'));
      return text.toString();
    }
  }

  private final Options options;
  private final Random random;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private final Map<String, Integer> counts = new java.util.TreeMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final CallflowProcess[] instances = new CallflowProcess[2];
  private final AtomicInteger restarts = new AtomicInteger();
  private final List<Path> logs = new CopyOnWriteArrayList<>();
  private RedisProcess redis;
  private RandomBalancer balancer;
  private MediaserviceApi api;
  private Path flows;
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

  private ChaosRun(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  public static void main(String[] args) throws Exception {
    int seconds = 75;
    int rate = 40;
    Path dir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("callflow-chaos");
    Result result = run(new Options(work, seconds, rate, System.nanoTime()));
    System.out.println("== chaos run: " + seconds + " s at " + rate + " calls/s, logs in " + work);
    System.out.print(result.report());
    System.exit(result.clean() ? 0 : 1);
  }

  static Result run(Options options) throws Exception {
    ChaosRun run = new ChaosRun(options);
    try {
      return run.go();
    } finally {
      run.close();
    }
  }

  private Result go() throws Exception {
    Path dir = options.dir();
    redis = RedisProcess.start(Files.createDirectories(dir.resolve("redis")), "--appendonly", "yes",
        "--appendfsync", "everysec");
    HttpServer stub = lookupService();
    balancer = RandomBalancer.start(vertx, 1, 1).await();
    Simulator simulator = new Simulator(vertx, SimConfig.local(balancer.port()).withIvrAnswered().withTimeout(8000));
    api = simulator.startApi(0, MediaserviceApi.tokens("chaos-token"),
        MediaserviceApi.scripts(Map.of("*", "wait 1s"))).await();
    flows = Files.createDirectories(dir.resolve("flows"));
    try (Stream<Path> files = Files.list(Path.of("bench/chaos-flows"))) {
      for (Path file : files.toList()) {
        Files.writeString(flows.resolve(file.getFileName()), Files.readString(file)
            .replace("${lookupPort}", String.valueOf(stub.actualPort())));
      }
    }
    for (int slot = 0; slot < 2; slot++) {
      startInstance(slot);
    }

    List<Future<Transcript>> inbound = new CopyOnWriteArrayList<>();
    Map<String, String> kindOf = new ConcurrentHashMap<>();
    List<String> placed = new CopyOnWriteArrayList<>();
    Set<String> hungUp = ConcurrentHashMap.newKeySet();
    AtomicInteger placeRefused = new AtomicInteger();
    Thread faults = new Thread(this::faults, "chaos-faults");
    faults.start();
    int total = options.seconds() * options.rate();
    long began = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = began + (long) i * 1_000_000_000L / options.rate();
      long wait = (due - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait);
      }
      int pick = random.nextInt(100);
      String caller = "+4670" + (1_000_000 + i);
      if (pick < 40) {
        inbound.add(track(simulator.inbound(caller, VOICEMAIL, CallerScript.parse("press 1; wait 7s; press #")),
            kindOf, "voicemail"));
      } else if (pick < 70) {
        inbound.add(track(simulator.inbound(caller, LOOKUP, CallerScript.parse("silent")), kindOf, "lookup"));
      } else if (pick < 85) {
        place(i, placed, placeRefused);
      } else {
        Future<Transcript> call = simulator.inbound(caller, VOICEMAIL, CallerScript.parse("press 1; wait 30s; press #"));
        inbound.add(track(call, kindOf, "operator"));
        vertx.setTimer(2500, t -> operatorHangup(simulator, caller, hungUp));
      }
    }
    faults.join();
    count("calls.inbound", inbound.size());
    List<Transcript> transcripts = new ArrayList<>();
    for (Future<Transcript> call : inbound) {
      transcripts.add(call.toCompletionStage().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS));
    }
    for (Future<Transcript> call : api.placedCalls()) {
      call.toCompletionStage().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
    }
    count("calls.outbound.ordered", placed.size() + placeRefused.get());
    count("calls.outbound.refused", placeRefused.get());
    return tally(transcripts, kindOf, placed, hungUp);
  }

  private Future<Transcript> track(Future<Transcript> call, Map<String, String> kindOf, String kind) {
    return call.onSuccess(t -> kindOf.put(t.sessionId(), kind));
  }

  /** The external system of the http state: answers {"tier":"gold"} after 300 ms, always. */
  private HttpServer lookupService() {
    return vertx.createHttpServer().requestHandler(request -> {
      lookups.computeIfAbsent(String.valueOf(request.getParam("call")), c -> new AtomicInteger()).incrementAndGet();
      vertx.setTimer(300, t -> request.response().putHeader("Content-Type", "application/json")
          .end("{\"tier\":\"gold\"}"));
    }).listen(0, "127.0.0.1").await();
  }

  private void place(int i, List<String> placed, AtomicInteger refused) {
    JsonObject body = new JsonObject().put("to", "sip:callee-" + i + "@chaos.test").put("flow", "chaos-reminder");
    client.post(balancer.port(), "127.0.0.1", "/api/calls").putHeader("Authorization", "Bearer " + ADMIN_TOKEN)
        .sendJsonObject(body).onComplete(done -> {
          if (done.succeeded() && done.result().statusCode() == 201) {
            placed.add(done.result().bodyAsJsonObject().getString("callId"));
          } else {
            refused.incrementAndGet();
          }
        });
  }

  private void operatorHangup(Simulator simulator, String caller, Set<String> hungUp) {
    // The simulator names calls by sessionId only; find this caller's call among the live ones through callflow.
    client.get(balancer.port(), "127.0.0.1", "/api/calls").putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send()
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            return;
          }
          JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
          for (int k = 0; k < items.size(); k++) {
            JsonObject item = items.getJsonObject(k);
            if (caller.equals(item.getString("from")) || caller.equals(item.getString("callingParty"))) {
              String callId = item.getString("callId");
              client.delete(balancer.port(), "127.0.0.1", "/api/calls/" + callId)
                  .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send()
                  .onSuccess(r -> {
                    if (r.statusCode() / 100 == 2) {
                      hungUp.add(callId);
                    }
                  });
              return;
            }
          }
        });
  }

  /** Random kills, aimed kills and a Redis restart, spread over the run. */
  private void faults() {
    long span = options.seconds() * 1000L;
    List<Object[]> plan = List.of(
        new Object[] {0.15, "random"}, new Object[] {0.25, "before"}, new Object[] {0.35, "after"},
        new Object[] {0.45, "random"}, new Object[] {0.55, "before"}, new Object[] {0.65, "redis"},
        new Object[] {0.75, "random"}, new Object[] {0.85, "after"});
    long began = System.currentTimeMillis();
    try {
      for (Object[] fault : plan) {
        long at = began + (long) ((double) fault[0] * span);
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
        String kind = (String) fault[1];
        int slot = random.nextInt(2);
        switch (kind) {
          case "random" -> {
            instances[slot].kill();
            count("faults.kill9.random", 1);
            restart(slot);
          }
          case "redis" -> {
            redis.stop();
            Thread.sleep(800);
            redis.launch();
            count("faults.redis.restart", 1);
          }
          default -> {
            Files.writeString(options.dir().resolve("fault-" + slot), kind);
            long deadline = System.currentTimeMillis() + 10_000;
            while (instances[slot].alive() && System.currentTimeMillis() < deadline) {
              Thread.sleep(20);
            }
            Files.deleteIfExists(options.dir().resolve("fault-" + slot));
            count(instances[slot].alive() ? "faults.aimed.notReached" : "faults.kill9.aimed." + kind, 1);
            if (!instances[slot].alive()) {
              restart(slot);
            }
          }
        }
      }
    } catch (Exception e) {
      problems.add("fault plan stopped: " + e);
    }
  }

  private void restart(int slot) throws Exception {
    Thread.sleep(1500);
    startInstance(slot);
  }

  private void startInstance(int slot) throws Exception {
    String name = (slot == 0 ? "a" : "b") + restarts.incrementAndGet();
    Path dir = options.dir();
    CallflowProcess process = CallflowProcess.start(dir, name, flows.toString(), config -> configure(config, slot),
        List.of("-Dcallflow.chaos.faultFile=" + dir.resolve("fault-" + slot)));
    logs.add(process.log);
    process.awaitReady(client);
    instances[slot] = process;
    balancer.replace(slot, process.port);
  }

  private void configure(JsonObject config, int slot) {
    Path dir = options.dir();
    config.getJsonObject("session").put("store", "redis").put("reapIntervalSeconds", 5)
        .getJsonObject("redis").put("url", redis.url());
    config.getJsonObject("server").put("callbackDeadlineMillis", 3000);
    config.getJsonObject("mediaservice").put("baseUrl", api.baseUrl()).put("token", "chaos-token")
        .put("domain", "chaos.test");
    config.getJsonObject("http").put("allowedHosts", new JsonArray().add("127.0.0.1"));
    config.getJsonObject("admin").put("token", ADMIN_TOKEN).put("port", -1).put("requestsPerMinute", 100_000);
    config.getJsonObject("outbound").put("from", "+46850000000").put("sipDomain", "chaos.test");
    config.getJsonObject("report").put("outboxDir", dir.resolve("outbox-" + slot).toString())
        .put("retryMinMillis", 100).put("retryMaxMillis", 1000)
        .put("exporters", new JsonArray().add(new JsonObject().put("type", "jsonl").put("name", "file")
            .put("path", dir.resolve("records-" + slot + ".jsonl").toString()).put("rotateBytes", 1L << 30)
            .put("keep", 3)));
  }

  private Result tally(List<Transcript> transcripts, Map<String, String> kindOf, List<String> placed,
                       Set<String> hungUp) throws Exception {
    // What the mediaservice received, per call.
    Map<String, Integer> starts = new HashMap<>();
    Map<String, Integer> placements = new HashMap<>();
    Map<String, Integer> interrupts = new HashMap<>();
    Map<String, Integer> hangups = new HashMap<>();
    int stops = 0;
    for (MediaserviceApi.Request request : api.requests()) {
      JsonObject body = request.body() == null ? new JsonObject() : request.body();
      switch (request.operation()) {
        case "startrecording" -> starts.merge(body.getString("recordingFileName", ""), 1, Integer::sum);
        case "stoprecording" -> stops++;
        case "interruptivrcommand" -> interrupts.merge(body.getString("sessionId", ""), 1, Integer::sum);
        case "hangupparticipant" -> hangups.merge(body.getString("sessionId", ""), 1, Integer::sum);
        case "placeivrcall" -> {
          JsonObject reference = body.getJsonObject("sessionReferenceId", new JsonObject());
          placements.merge(reference.getString("callId", ""), 1, Integer::sum);
        }
        default -> { }
      }
    }
    count("effects.startrecording.carriedOut", starts.size());
    count("effects.startrecording.repeated", (int) starts.values().stream().filter(n -> n > 1).count());
    count("effects.stoprecording.carriedOut", stops);
    count("effects.interruptivrcommand.carriedOut", interrupts.size());
    count("effects.interruptivrcommand.repeated", (int) interrupts.values().stream().filter(n -> n > 1).count());
    count("effects.hangupparticipant.carriedOut", hangups.size());
    count("effects.placeivrcall.ordered", placed.size());
    count("effects.placeivrcall.carriedOut", (int) placed.stream().filter(placements::containsKey).count());
    count("effects.placeivrcall.repeated", (int) placements.values().stream().filter(n -> n > 1).count());
    count("effects.hangupparticipant.ordered", hungUp.size());
    starts.forEach((file, n) -> {
      if (n > 1) {
        problems.add("startrecording sent " + n + " times for " + file);
      }
    });
    placements.forEach((callId, n) -> {
      if (n > 1) {
        problems.add("placeivrcall sent " + n + " times for " + callId);
      }
    });
    for (String callId : placed) {
      if (!placements.containsKey(callId)) {
        problems.add("outbound call " + callId + " accepted (201) but never placed");
      }
    }
    for (String callId : hungUp) {
      if (!hangups.containsKey(callId)) {
        problems.add("operator hang-up of " + callId + " accepted but hangupparticipant never sent");
      }
    }

    // What callers heard, and which calls callflow started (answered /newCall without the failsafe).
    Set<String> expected = new HashSet<>(placed);
    int failsafe = 0;
    int protocolErrors = 0;
    int lookupCalls = 0;
    int voicemails = 0;
    for (Transcript t : transcripts) {
      if (!t.protocolErrors().isEmpty()) {
        // A callback the simulator gave up on (no answer within its timeout, on an overloaded machine): the call
        // ends there for the simulated mediaservice, which then sends nothing more, so callflow keeps it live
        // until its TTL. Counted and shown, not expected to have a record yet.
        protocolErrors++;
        if (protocolErrors <= 3) {
          notes.add("protocol error: " + t.protocolErrors());
        }
        continue;
      }
      boolean refused = t.answers().stream().anyMatch(a -> a.contains("temporarilyUnavailable"));
      if (refused) {
        failsafe++;
        continue;
      }
      expected.add(t.sessionId());
      String kind = kindOf.getOrDefault(t.sessionId(), "");
      List<String> heard = t.heard();
      if (kind.equals("voicemail")) {
        voicemails++;
        if (heard.contains(SAVED) && !starts.containsKey("vm-" + t.sessionId() + ".wav")) {
          problems.add("WRONG: caller told the message was saved, no recording started: " + t.sessionId());
        }
      }
      if (kind.equals("lookup")) {
        lookupCalls++;
        if (heard.contains(DOWN)) {
          problems.add("WRONG: lookup answered in 300 ms but the caller heard the error path: " + t.sessionId()
              + " (lookups " + lookups.getOrDefault(t.sessionId(), new AtomicInteger()) + ", interrupts "
              + interrupts.getOrDefault(t.sessionId(), 0) + ")");
        }
      }
    }
    count("calls.voicemail", voicemails);
    count("calls.lookup", lookupCalls);
    count("effects.interruptivrcommand.ordered", lookupCalls);
    count("callbacks.failsafe.newCall", failsafe);
    count("callbacks.protocolErrors", protocolErrors);
    count("balancer.retried", balancer.retried());
    count("balancer.noInstance", balancer.failed());

    // Records: every call callflow started has one, by id, with a true ending.
    long deadline = System.currentTimeMillis() + 90_000;
    Map<String, JsonObject> seen = records();
    while (!seen.keySet().containsAll(expected) && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
      seen = records();
    }
    Map<String, JsonObject> delivered = seen;
    count("records.expected", expected.size());
    count("records.delivered", (int) expected.stream().filter(delivered::containsKey).count());
    List<String> lost = expected.stream().filter(id -> !delivered.containsKey(id)).sorted().toList();
    count("records.lost", lost.size());
    lost.stream().limit(20).forEach(id -> problems.add("LOST record of " + id));
    int unknown = 0;
    int expired = 0;
    for (String id : expected) {
      JsonObject record = delivered.get(id);
      if (record == null) {
        continue;
      }
      JsonObject ending = record.getJsonObject("ending", new JsonObject());
      if ("expired".equals(ending.getString("kind"))) {
        expired++;
        problems.add("WRONG ending: " + id + " reported expired");
      }
      if (String.valueOf(ending.getString("reason")).startsWith("placeUnknown")) {
        unknown++;
      }
    }
    count("records.wrong.expired", expired);
    count("effects.placeivrcall.endedUnknown", unknown);
    count("effects.endedUnknown.logged", grep("effect.unknown"));
    count("effects.takenOver.logged", grep("effect.takenOver"));
    count("effects.notStarted.logged", grep("effect.notStarted"));
    count("notifications.kept", grep("notification.kept"));
    count("notifications.replayed", grep("notification.replayed"));
    count("effects.corrupt.logged", grep("effect.corrupt"));
    count("faults.instances.started", restarts.get());
    return new Result(counts, problems, notes);
  }

  /** Records exported by every instance, by callId; a duplicate must be the same record. */
  private Map<String, JsonObject> records() throws IOException {
    Map<String, JsonObject> byCall = new HashMap<>();
    for (int slot = 0; slot < 2; slot++) {
      Path file = options.dir().resolve("records-" + slot + ".jsonl");
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject record;
        try {
          record = new JsonObject(line);
        } catch (RuntimeException torn) {
          continue;
        }
        JsonObject before = byCall.put(record.getString("callId"), record);
        if (before != null && !before.getString("id").equals(record.getString("id"))) {
          problems.add("two different records for " + record.getString("callId"));
        }
      }
    }
    return byCall;
  }

  private int grep(String needle) throws IOException {
    int n = 0;
    for (Path log : logs) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.contains(needle)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private void count(String name, int n) {
    synchronized (counts) {
      counts.merge(name, n, Integer::sum);
    }
  }

  private void close() {
    for (CallflowProcess process : instances) {
      if (process != null) {
        try {
          process.close();
        } catch (Exception e) {
          // stopping anyway
        }
      }
    }
    try {
      if (redis != null) {
        redis.close();
      }
    } catch (Exception e) {
      // stopping anyway
    }
    vertx.close();
  }
}
