package io.callflow.session;

import io.callflow.flow.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Sessions in Redis, shared by every instance. Each call is one string key holding
 * {@code "<version> <expiry> <session>"} (the session as {@link SessionCodec} bytes); {@link #update} reads it, applies the function, and writes back with
 * a Lua compare-and-set on the version, retrying on conflict, so two callbacks of one call on two instances apply
 * one after the other. Every write sets the key's TTL. Live calls are also listed in an index sorted by when they
 * expire, which {@link #reap} claims from atomically (one instance per call) and {@link #live} reads; ended calls
 * are tombstones kept for late duplicates, listed in an index of their own for {@link #size}.
 *
 * <p>Keys carry a hash tag of one of {@value #BUCKETS} buckets, {@code cf:{7}:s:<callId>} beside
 * {@code cf:{7}:live}, so each script's keys share one slot in Redis Cluster.
 */
public final class RedisSessionStore implements SessionStore {

  static final int BUCKETS = 64;
  /**
   * Attempts of one update before it gives up. A conflict needs callbacks of one call on two instances at the same
   * moment (within one instance they queue, see {@link #update}), so a real call rarely retries at all. Each
   * attempt is one round trip (the losing script returns the winner's session), so even the bound costs a few
   * milliseconds, well within the callback deadline. Under RedisSessionStoreIT's hammer (eight threads on two
   * instances, one call) a loser can lose many rounds in a row: each loser reply carries the winner's newer version
   * (checked over 16 runs, 263 runs of five attempts or more: never a version at or below the one expected, so no
   * reply is misread), but the other instance commits its queued updates back to back, 2 to 100 of them during one
   * retry of a loser whose thread stalls (a cold JIT, class loading, a loaded machine). Up to 19 attempts were seen
   * at a load average of 11 on two cores, 32 once; hence a bound with room to spare.
   */
  static final int MAX_ATTEMPTS = 64;
  private static final long UPDATE_TIMEOUT_SECONDS = 5;

  /**
   * The compare-and-set. The stored value is {@code "<version> <expiry> <session>"}; only its first bytes are read to
   * compare (a session is a kilobyte), and the new value comes whole from the caller. A call enters the expiry index
   * when it is created; later writes leave its score behind, and {@link #CLAIM} checks the real expiry instead, so
   * a write costs no index update.
   */
  private static final RedisScript COMPARE_AND_SET = RedisScript.of("""
      local head = redis.call('GETRANGE', KEYS[1], 0, 40)
      local version = 0
      if head ~= '' then
        version = tonumber(string.match(head, '^(%d+) '))
      end
      if version ~= tonumber(ARGV[1]) then
        return redis.call('GET', KEYS[1]) or 0
      end
      if ARGV[2] == '' then
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[5])
        redis.call('ZREM', KEYS[3], ARGV[5])
        return 1
      end
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
      if ARGV[6] == '1' then
        redis.call('ZREM', KEYS[2], ARGV[5])
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
      elseif version == 0 then
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
      end
      if #ARGV > 9 then
        for i = 10, #ARGV, 3 do
          redis.call('HSET', KEYS[4], ARGV[i], ARGV[7] .. ' ' .. ARGV[i + 1] .. ' ' .. ARGV[i + 2])
        end
        redis.call('PEXPIRE', KEYS[4], ARGV[8])
        redis.call('ZADD', KEYS[5], ARGV[9], ARGV[7] .. ' ' .. ARGV[5])
      end
      return 1
      """);

  /**
   * Pending entries are {@code "<owner> <state> <body>"} in a hash per call, {@code cf:{7}:e:<callId>}; the state
   * is {@code r} (may be repeated), {@code o} (once-only, not sent yet) or {@code s} (once-only, maybe sent). Each
   * (owner, call) with entries is a member {@code "<owner> <callId>"} of the bucket's index {@code cf:{7}:pending},
   * so a sweeper finds the entries of dead owners without reading any other.
   */
  private static final RedisScript DONE = RedisScript.of("""
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v then
        return 0
      end
      redis.call('HDEL', KEYS[1], ARGV[1])
      local owner = string.match(v, '^(%S+) ')
      if owner then
        local prefix = owner .. ' '
        for _, other in ipairs(redis.call('HVALS', KEYS[1])) do
          if string.sub(other, 1, #prefix) == prefix then
            return 1
          end
        end
        redis.call('ZREM', KEYS[2], prefix .. ARGV[2])
      end
      return 1
      """);

  /** A once-only entry goes from not sent to maybe sent, only while its owner is the one asking. */
  private static final RedisScript SENDING = RedisScript.of("""
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v then
        return 0
      end
      local prefix = ARGV[2] .. ' o '
      if string.sub(v, 1, #prefix) ~= prefix then
        return 0
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' s ' .. string.sub(v, #prefix + 1))
      return 1
      """);

  /**
   * Takes over a dead owner's entries of one call: repeatable ones change owner, a once-only one not sent yet
   * changes owner and becomes maybe sent (the taker sends it, once), one maybe sent and any unreadable entry are
   * removed and answered as they were, for the taker to report. Answers id, state, body for each. The ids from
   * ARGV[5] on are left alone: an owner taking over its own entries still carries those.
   */
  private static final RedisScript TAKE = RedisScript.of("""
      local all = redis.call('HGETALL', KEYS[1])
      local out = {}
      local dead = ARGV[1] .. ' '
      local kept = false
      local carried = {}
      for i = 5, #ARGV do
        carried[ARGV[i]] = true
      end
      for i = 1, #all, 2 do
        local id, v = all[i], all[i + 1]
        local mine = string.sub(v, 1, #dead) == dead
        local state = mine and string.sub(v, #dead + 1, #dead + 2) or ''
        if carried[id] then
          kept = kept or mine
        elseif mine and state == 'r ' then
          redis.call('HSET', KEYS[1], id, ARGV[2] .. ' r ' .. string.sub(v, #dead + 3))
          kept = true
          table.insert(out, id); table.insert(out, 'r'); table.insert(out, string.sub(v, #dead + 3))
        elseif mine and state == 'o ' then
          redis.call('HSET', KEYS[1], id, ARGV[2] .. ' s ' .. string.sub(v, #dead + 3))
          kept = true
          table.insert(out, id); table.insert(out, 'o'); table.insert(out, string.sub(v, #dead + 3))
        elseif mine and state == 's ' then
          redis.call('HDEL', KEYS[1], id)
          table.insert(out, id); table.insert(out, 's'); table.insert(out, string.sub(v, #dead + 3))
        elseif mine or not string.match(v, '^%S+ [ros] ') then
          redis.call('HDEL', KEYS[1], id)
          table.insert(out, id); table.insert(out, 'x'); table.insert(out, v)
        end
      end
      redis.call('ZREM', KEYS[2], dead .. ARGV[3])
      if kept then
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2] .. ' ' .. ARGV[3])
      end
      return out
      """);

  /**
   * Takes an expired live call out of the index and returns its session. A call written since it was indexed is
   * not expired: it is put back at its real expiry instead, and the answer is nil (as for a call another instance
   * claimed first). With a claim entry (ARGV[3] on: owner, id, body, now, how long to keep), the session stays,
   * kept that long, and the entry is written beside it: whoever ends the call (the claimer, or the taker of its
   * entries) finds both. Without, the session is removed.
   */
  private static final RedisScript CLAIM = RedisScript.of("""
      local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if not score or tonumber(score) > tonumber(ARGV[2]) then
        return false
      end
      local head = redis.call('GETRANGE', KEYS[2], 0, 40)
      if head ~= '' then
        local expiry = tonumber(string.match(head, '^%d+ (%d+) '))
        if expiry > tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], expiry, ARGV[1])
          return false
        end
      end
      redis.call('ZREM', KEYS[1], ARGV[1])
      local value = redis.call('GET', KEYS[2])
      if not value then
        return ''
      end
      if #ARGV > 2 then
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        redis.call('HSET', KEYS[3], ARGV[4], ARGV[3] .. ' r ' .. ARGV[5])
        redis.call('PEXPIRE', KEYS[3], ARGV[7])
        redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3] .. ' ' .. ARGV[1])
      else
        redis.call('DEL', KEYS[2])
      end
      return value
      """);

  /** One update could not be applied: the call's session kept changing under it. */
  public static final class ConcurrentUpdate extends RuntimeException {
    ConcurrentUpdate(String callId) {
      super("session " + callId + " changed under " + MAX_ATTEMPTS + " attempts to update it", null, false, false);
    }
  }

  /** A session as read, with the version a write must expect; version 0 when there is none. */
  private record Stored(long version, Session session) {

    static final Stored NONE = new Stored(0, null);

    static Stored of(Response response) {
      if (response == null || response.type() != ResponseType.BULK) {
        return NONE;
      }
      byte[] bytes = response.toBytes();
      int at = 0;
      long version = 0;
      while (bytes[at] != ' ') {
        version = version * 10 + (bytes[at++] - '0');
      }
      do {
        at++;
      } while (bytes[at] != ' ');
      return new Stored(version, SessionCodec.decode(bytes, at + 1, bytes.length - at - 1));
    }

    /** {@code "<version> <expiry> <session>"}, as the scripts read it. */
    static byte[] value(long version, long expiryMillis, Session session) {
      byte[] head = (version + " " + expiryMillis + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] encoded = SessionCodec.encode(session);
      byte[] value = java.util.Arrays.copyOf(head, head.length + encoded.length);
      System.arraycopy(encoded, 0, value, head.length, encoded.length);
      return value;
    }
  }

  private record Keys(String session, String live, String ended, String entries, String pending) {
  }

  private final RedisLink link;
  private final Lifetimes lifetimes;
  /** The last update of each call that is being updated from this instance right now. */
  private final Map<String, Future<?>> queued = new ConcurrentHashMap<>();
  /**
   * The entries this instance is carrying out, by call: held from before the write that stores them is sent (or
   * from their takeover) until they are {@link #done} or {@link #letGo let go}. An entry of this owner in Redis that
   * is not held here is one this instance lost track of (see {@link #takeOver}).
   */
  private final Map<String, Set<String>> held = new ConcurrentHashMap<>();
  /** Calls with entries this instance may have stored and no longer holds: its next sweep takes them over. */
  private final Set<String> lost = ConcurrentHashMap.newKeySet();
  private final long liveKeyMillis;
  /** Who owns the entries this instance writes: one id per process, never reused, so a dead owner stays dead. */
  private final String owner = java.util.UUID.randomUUID().toString();
  private final long leaseMillis;
  /** When this instance last renewed its lease (System.nanoTime), or 0 before the first renewal. */
  private volatile long leaseRenewedNanos;

  /**
   * @param grace how much longer than its TTL a live call's key stays in Redis, so that the reaper still finds the
   *              session to report when it claims the call (a reaper runs at least every reap interval)
   */
  public RedisSessionStore(RedisLink link, Lifetimes lifetimes, Duration grace) {
    this(link, lifetimes, grace, DEFAULT_LEASE);
  }

  /**
   * @param lease how long this instance's entries stay its own after its last renewal ({@link #takeOver} renews,
   *              and should run several times per lease): once it runs out, any instance takes them over
   */
  public RedisSessionStore(RedisLink link, Lifetimes lifetimes, Duration grace, Duration lease) {
    this.link = link;
    this.lifetimes = lifetimes;
    this.liveKeyMillis = lifetimes.ttl().plus(grace).toMillis();
    this.leaseMillis = lease.toMillis();
  }

  /** An owner that has not renewed its lease for this long is taken for dead. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(3);

  /**
   * Updates of one call from this instance run one after the other, so that only updates from different instances
   * can collide in Redis: with many writers on one call in one process, optimistic retries would let some of them
   * lose round after round.
   */
  @Override
  public <T> Future<T> update(String callId, Function<Session, Change<T>> fn) {
    AtomicBoolean abandoned = new AtomicBoolean();
    return serially(callId, () -> updateNow(callId, fn, abandoned), abandoned);
  }

  /**
   * Runs {@code operation} on the call after the operations queued before it from this instance. Bounded, so that
   * a Redis that stopped answering without closing the connection cannot hold the queue forever; {@code abandoned}
   * is set when the caller got a failure (the operation itself may still end later).
   */
  private <T> Future<T> serially(String callId, Supplier<Future<T>> operation, AtomicBoolean abandoned) {
    Promise<T> done = Promise.promise();
    Future<T> mine = done.future();
    Future<?> before = queued.put(callId, mine);
    Future<?> turn = before == null ? Future.succeededFuture() : before.transform(previous -> Future.succeededFuture());
    turn.onComplete(go -> EventLoopTimeout.within(operation.get(), TimeUnit.SECONDS.toMillis(UPDATE_TIMEOUT_SECONDS)).onComplete(result -> {
      if (result.failed()) {
        abandoned.set(true);
      }
      queued.remove(callId, mine);
      done.handle(result);
    }));
    return mine;
  }

  private <T> Future<T> updateNow(String callId, Function<Session, Change<T>> fn, AtomicBoolean abandoned) {
    Keys keys = keys(callId);
    return link.send(Request.cmd(Command.GET).arg(keys.session()))
        .compose(response -> attempt(callId, keys, fn, Stored.of(response), 1, abandoned));
  }

  private <T> Future<T> attempt(String callId, Keys keys, Function<Session, Change<T>> fn, Stored current,
                                int attempt, AtomicBoolean abandoned) {
    Change<T> change;
    try {
      change = fn.apply(current.session());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (change.session() == current.session() && change.pending().isEmpty()) {
      // Nothing changed (a repeated callback, an unknown call): no write, and no conflict possible.
      return Future.succeededFuture(change.value());
    }
    List<String> ids = change.pending().stream().map(Pending::id).toList();
    hold(callId, ids);
    return write(callId, keys, current.version(), change.session(), change.pending()).compose(reply -> {
      if (reply.type() == ResponseType.NUMBER && reply.toLong() == 1) {
        if (abandoned.get()) {
          // Stored after the caller gave up on it: nobody here will carry its entries out, the sweeper will.
          loseTrack(callId, ids);
        }
        return Future.succeededFuture(change.value());
      }
      release(callId, ids);
      if (attempt >= MAX_ATTEMPTS) {
        return Future.failedFuture(new ConcurrentUpdate(callId));
      }
      // The script answered the session that won: apply fn to that at once, without reading it again. No pause:
      // a loser that waited would keep losing to writers that did not.
      return attempt(callId, keys, fn, Stored.of(reply), attempt + 1, abandoned);
    }, failure -> {
      // Whether Redis applied the write is unknown: a server that stops (even cleanly, SIGTERM with AOF) runs and
      // persists the commands it has read, and closes the connection before their replies go out. Entries it did
      // store are no longer held, so the sweeper takes them over (see takeOver); entries it did not do not exist.
      loseTrack(callId, ids);
      return Future.failedFuture(failure);
    });
  }

  private Future<Response> write(String callId, Keys keys, long expected, Session next, List<Pending> pending) {
    String[] scriptKeys = {keys.session(), keys.live(), keys.ended(), keys.entries(), keys.pending()};
    if (next == null) {
      return COMPARE_AND_SET.run(link, scriptKeys, expected, new byte[0], 0L, 0L, callId, "0");
    }
    long keepMillis = next.ended() ? lifetimes.tombstone().toMillis() : liveKeyMillis;
    long expiry = lifetimes.expiry(next).toEpochMilli();
    Object[] args = new Object[9 + 3 * pending.size()];
    args[0] = expected;
    args[1] = Stored.value(expected + 1, expiry, next);
    args[2] = keepMillis;
    args[3] = expiry;
    args[4] = callId;
    args[5] = next.ended() ? "1" : "0";
    args[6] = owner;
    args[7] = Math.max(keepMillis, liveKeyMillis);
    args[8] = System.currentTimeMillis();
    for (int i = 0; i < pending.size(); i++) {
      args[9 + 3 * i] = pending.get(i).id();
      args[10 + 3 * i] = pending.get(i).once() ? "o" : "r";
      args[11 + 3 * i] = pending.get(i).body();
    }
    // Entries are written only under a lease that is surely held, or another instance could take them at once.
    return (pending.isEmpty() || leaseFresh() ? Future.<Void>succeededFuture() : renewLease())
        .compose(leased -> COMPARE_AND_SET.run(link, scriptKeys, args));
  }

  private boolean leaseFresh() {
    long renewed = leaseRenewedNanos;
    return renewed != 0 && System.nanoTime() - renewed < TimeUnit.MILLISECONDS.toNanos(leaseMillis / 2);
  }

  private Future<Void> renewLease() {
    long began = System.nanoTime();
    return link.send(Request.cmd(Command.SET).arg(leaseKey(owner)).arg("1").arg("PX").arg(leaseMillis))
        .map(ok -> {
          leaseRenewedNanos = began;
          return null;
        });
  }

  @Override
  public boolean takesOver() {
    return true;
  }

  @Override
  public Future<Boolean> sending(String callId, String id) {
    Keys keys = keys(callId);
    return SENDING.run(link, new String[] {keys.entries()}, id, owner).map(r -> {
      boolean mine = r != null && r.toLong() == 1;
      if (!mine) {
        release(callId, List.of(id));
      }
      return mine;
    });
  }

  @Override
  public Future<Void> done(String callId, String id) {
    Keys keys = keys(callId);
    return DONE.run(link, new String[] {keys.entries(), keys.pending()}, id, callId)
        .onSuccess(removed -> release(callId, List.of(id)))
        .mapEmpty();
  }

  @Override
  public void letGo(String callId, String id) {
    loseTrack(callId, List.of(id));
  }

  /** Entries that may be stored and that this instance no longer carries out: its next sweep takes them over. */
  private void loseTrack(String callId, List<String> ids) {
    if (!ids.isEmpty()) {
      release(callId, ids);
      lost.add(callId);
    }
  }

  private void hold(String callId, List<String> ids) {
    if (!ids.isEmpty()) {
      held.computeIfAbsent(callId, c -> ConcurrentHashMap.newKeySet()).addAll(ids);
    }
  }

  private void release(String callId, List<String> ids) {
    if (!ids.isEmpty()) {
      held.computeIfPresent(callId, (c, set) -> {
        set.removeAll(ids);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /**
   * Renews the lease, lists the owners with pending entries, asks which of them still hold a lease (an expired key
   * is the only sign of death used: no guesses from timing), and takes over the entries of the others. Entries of
   * this instance's own that it lost track of (a write whose reply never came, work whose bookkeeping gave up) are
   * taken over too, or a live owner would keep them forever and no one would carry them out (see {@link #adopt}).
   */
  @Override
  public Future<List<Orphan>> takeOver() {
    return renewLease()
        .compose(leased -> Future.all(IntStream.range(0, BUCKETS).mapToObj(b ->
            link.send(Request.cmd(Command.ZRANGE).arg(bucketKey(b, "pending")).arg(0).arg(-1))).toList()))
        .compose(listed -> {
          List<String[]> members = new ArrayList<>();
          for (int b = 0; b < BUCKETS; b++) {
            Response bucket = listed.resultAt(b);
            for (Response member : bucket) {
              String[] parts = member.toString().split(" ", 2);
              if (parts.length == 2 && !parts[0].equals(owner)) {
                members.add(new String[] {String.valueOf(b), parts[0], parts[1]});
              }
            }
          }
          List<String> owners = members.stream().map(m -> m[1]).distinct().toList();
          return Future.all(owners.stream().map(o -> link.send(Request.cmd(Command.EXISTS).arg(leaseKey(o))))
                  .toList())
              .compose(alive -> {
                java.util.Set<String> dead = new java.util.HashSet<>();
                for (int i = 0; i < owners.size(); i++) {
                  Response exists = alive.resultAt(i);
                  if (exists.toLong() == 0) {
                    dead.add(owners.get(i));
                  }
                }
                List<Future<List<Orphan>>> taking = new ArrayList<>();
                for (String[] m : members) {
                  if (dead.contains(m[1])) {
                    taking.add(take(Integer.parseInt(m[0]), m[1], m[2], List.of()));
                  }
                }
                List.copyOf(lost).forEach(callId -> taking.add(adopt(callId)));
                return Future.all(taking);
              });
        })
        .map(taken -> {
          List<Orphan> orphans = new ArrayList<>();
          for (int i = 0; i < taken.size(); i++) {
            List<Orphan> ofCall = taken.resultAt(i);
            orphans.addAll(ofCall);
          }
          return orphans;
        });
  }

  /**
   * Takes over this instance's own entries of a call that it lost track of, except those it still carries. In the
   * call's queue: no write of this instance for that call is in flight meanwhile, so what is held is exactly what
   * it carries, and an entry whose write has not been answered yet is never taken.
   */
  private Future<List<Orphan>> adopt(String callId) {
    return serially(callId, () -> {
      lost.remove(callId);
      return take(bucket(callId), owner, callId, List.copyOf(held.getOrDefault(callId, Set.of())))
          .onFailure(e -> lost.add(callId));
    }, new AtomicBoolean());
  }

  private Future<List<Orphan>> take(int bucket, String dead, String callId, List<String> carried) {
    Object[] args = new Object[4 + carried.size()];
    args[0] = dead;
    args[1] = owner;
    args[2] = callId;
    args[3] = System.currentTimeMillis();
    for (int i = 0; i < carried.size(); i++) {
      args[4 + i] = carried.get(i);
    }
    return TAKE.run(link, new String[] {entriesKey(bucket, callId), bucketKey(bucket, "pending")}, args)
        .map(answer -> {
          List<Orphan> orphans = new ArrayList<>();
          for (int i = 0; i + 2 < answer.size(); i += 3) {
            Orphan orphan = new Orphan(callId, answer.get(i).toString(), answer.get(i + 1).toString().charAt(0),
                answer.get(i + 2).toString());
            if (orphan.state() == Orphan.REPEAT || orphan.state() == Orphan.SEND) {
              // Now this instance's, in Redis as here.
              hold(callId, List.of(orphan.id()));
            }
            orphans.add(orphan);
          }
          return orphans;
        });
  }

  @Override
  public Future<Session> get(String callId) {
    return link.send(Request.cmd(Command.GET).arg(keys(callId).session())).map(r -> Stored.of(r).session());
  }

  @Override
  public Future<List<Session>> reap(Instant now) {
    return reap(now, null);
  }

  @Override
  public Future<List<Session>> reap(Instant now, Pending claim) {
    long nowMillis = now.toEpochMilli();
    // A claim entry is written only under a lease that is surely held, as every entry.
    return (claim == null || leaseFresh() ? Future.<Void>succeededFuture() : renewLease()).compose(leased ->
        Future.all(IntStream.range(0, BUCKETS).mapToObj(b -> reapBucket(b, nowMillis, claim)).toList()))
        .map(done -> {
          List<Session> reaped = new ArrayList<>();
          for (int b = 0; b < BUCKETS; b++) {
            List<Session> bucket = done.resultAt(b);
            reaped.addAll(bucket);
          }
          return reaped;
        });
  }

  private Future<List<Session>> reapBucket(int bucket, long nowMillis, Pending claim) {
    String live = bucketKey(bucket, "live");
    // Tombstone keys expire by themselves; their index entries go here.
    return link.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(bucketKey(bucket, "ended")).arg("-inf").arg(nowMillis))
        .compose(trimmed -> link.send(Request.cmd(Command.ZRANGEBYSCORE).arg(live).arg("-inf").arg(nowMillis).arg("LIMIT").arg(0)
            .arg(10_000)))
        .compose(ids -> Future.all(ids.stream().map(id -> claim == null
            ? CLAIM.run(link, new String[] {live, sessionKey(bucket, id.toString())}, id.toString(), nowMillis)
            : CLAIM.run(link, new String[] {live, sessionKey(bucket, id.toString()), entriesKey(bucket, id.toString()),
                bucketKey(bucket, "pending")}, id.toString(), nowMillis, owner, claim.id(), claim.body(), nowMillis,
                liveKeyMillis)).toList()))
        .map(claims -> {
          List<Session> reaped = new ArrayList<>();
          for (int i = 0; i < claims.size(); i++) {
            Response claimed = claims.resultAt(i);
            // null: renewed meanwhile or claimed by another instance; empty: its key expired before any reaper ran.
            if (claimed != null && claimed.toBytes().length > 0) {
              Session session = Stored.of(claimed).session();
              if (!session.ended()) {
                reaped.add(session);
              }
            }
          }
          return reaped;
        });
  }

  @Override
  public Future<List<Session>> live() {
    return Future.all(IntStream.range(0, BUCKETS).mapToObj(this::liveInBucket).toList()).map(done -> {
      List<Session> live = new ArrayList<>();
      for (int b = 0; b < BUCKETS; b++) {
        List<Session> bucket = done.resultAt(b);
        live.addAll(bucket);
      }
      return live;
    });
  }

  private Future<List<Session>> liveInBucket(int bucket) {
    return link.send(Request.cmd(Command.ZRANGE).arg(bucketKey(bucket, "live")).arg(0).arg(-1))
        .compose(ids -> link.batch(ids.stream()
            .map(id -> Request.cmd(Command.GET).arg(sessionKey(bucket, id.toString()))).toList()))
        .map(values -> values.stream().map(v -> Stored.of(v).session())
            .filter(s -> s != null && !s.ended()).toList());
  }

  @Override
  public Future<Integer> size() {
    // One command per key, not one batch: in Redis Cluster the buckets live in different slots.
    List<Future<Response>> counts = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) {
      counts.add(link.send(Request.cmd(Command.ZCARD).arg(bucketKey(b, "live"))));
      counts.add(link.send(Request.cmd(Command.ZCARD).arg(bucketKey(b, "ended"))));
    }
    return Future.all(counts).map(all -> counts.stream().mapToInt(f -> f.result().toInteger()).sum());
  }

  /** An alias lives as long as a live call can: the session TTL and the reaper's grace. */
  @Override
  public Future<Void> alias(String alias, String callId) {
    return link.send(Request.cmd(Command.SET).arg(aliasKey(alias)).arg(callId).arg("PX").arg(liveKeyMillis))
        .mapEmpty();
  }

  @Override
  public Future<String> resolve(String alias) {
    return link.send(Request.cmd(Command.GET).arg(aliasKey(alias))).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> ping() {
    return link.send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return link.close();
  }

  /** The Redis key of a call's session (for tools and tests that look at Redis directly). */
  public static String keyOf(String callId) {
    return sessionKey(bucket(callId), callId);
  }

  private static Keys keys(String callId) {
    int bucket = bucket(callId);
    return new Keys(sessionKey(bucket, callId), bucketKey(bucket, "live"), bucketKey(bucket, "ended"),
        entriesKey(bucket, callId), bucketKey(bucket, "pending"));
  }

  private static String entriesKey(int bucket, String callId) {
    return "cf:{" + bucket + "}:e:" + callId;
  }

  private static String leaseKey(String owner) {
    return "cf:i:" + owner;
  }

  private static int bucket(String callId) {
    return Math.floorMod(callId.hashCode(), BUCKETS);
  }

  private static String sessionKey(int bucket, String callId) {
    return "cf:{" + bucket + "}:s:" + callId;
  }

  private static String aliasKey(String alias) {
    return "cf:a:" + alias;
  }

  private static String bucketKey(int bucket, String name) {
    return "cf:{" + bucket + "}:" + name;
  }
}
