#!/usr/bin/env bash
# callflow with in-memory sessions vs callflow with sessions in Redis: the same load test against each, in one run on
# this machine, alternating rounds. Prints both maximum throughputs and their ratio, server and Redis CPU per
# callback, open-loop latency of the Redis instance at half its maximum, and Redis memory per live call.
# Traffic goes only to 127.0.0.1; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-20000}
CONCURRENCY=${CONCURRENCY:-64}
SCRIPT='press 3; press 123456#; hangup'
JAR=target/callflow.jar
MEM_PORT=18290
RED_PORT=18291
REDIS_PORT=16290
FOOTPRINT_REDIS_PORT=16291
OUT=$(mktemp -d)

[ -f "$JAR" ] || mvn -B -q package -DskipTests
source bench/common.sh

REDIS=$(redis_binary)

cleanup() { kill "${MEM_PID:-}" "${RED_PID:-}" "${REDIS_PID:-}" "${FP_REDIS_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

session_redis $REDIS_PORT "$OUT/redis.log"

serve() { # port, extra env...
  local port=$1; shift
  # exec: the background job's PID is the JVM's, for the CPU readings and the clean-up.
  exec env "$@" CALLFLOW_SERVER_PORT="$port" CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/flows \
    CALLFLOW_FLOWS_DEFAULT_FLOW=bench java -Xmx512m -jar "$JAR" serve
}
serve $MEM_PORT CALLFLOW_SESSION_STORE=memory > "$OUT/memory.log" 2>&1 &
MEM_PID=$!
serve $RED_PORT CALLFLOW_SESSION_STORE=redis CALLFLOW_SESSION_REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
  > "$OUT/redis-callflow.log" 2>&1 &
RED_PID=$!
wait_port $MEM_PORT
wait_port $RED_PORT
wait_ready $MEM_PORT
wait_ready $RED_PORT

echo "== max throughput, closed model: $CALLS calls, $CONCURRENCY in flight, 2 rounds each =="
mem_cps=0; red_cps=0; red_low=0
for round in 1 2; do
  t0=$(cpu_ticks $MEM_PID)
  loadtest $MEM_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/memory$round.json" > "$OUT/memory$round.txt"
  mem_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $MEM_PID)")
  t0=$(cpu_ticks $RED_PID); r0=$(cpu_ticks $REDIS_PID)
  loadtest $RED_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/redis$round.json" > "$OUT/redis$round.txt"
  red_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $RED_PID)")
  redis_cpu=$(cpu_us_per_callback "$r0" "$(cpu_ticks $REDIS_PID)")
  m=$(rate_of "$OUT/memory$round.json"); r=$(rate_of "$OUT/redis$round.json")
  echo "round $round: memory $m callbacks/s ($mem_cpu us CPU each), redis $r callbacks/s ($red_cpu us callflow CPU" \
    "+ $redis_cpu us redis-server CPU each), ratio $(python3 -c "print(f'{$r/$m:.2f}')")"
  if [ "$m" -gt "$mem_cps" ]; then mem_cps=$m; cp "$OUT/memory$round.txt" "$OUT/memory.txt"; fi
  if [ "$r" -gt "$red_cps" ]; then red_cps=$r; cp "$OUT/redis$round.txt" "$OUT/redis.txt"; fi
  if [ "$red_low" -eq 0 ] || [ "$r" -lt "$red_low" ]; then red_low=$r; fi
done
echo "-- in-memory sessions, best round"; cat "$OUT/memory.txt"
echo "-- Redis sessions, best round"; cat "$OUT/redis.txt"
ratio=$(python3 -c "print(f'{$red_cps/$mem_cps:.2f}')")

# Half of the Redis instance's lower-round maximum, in calls per second (6 callbacks a call).
half_rate=$(python3 -c "print(round($red_low / 6 / 2))")
echo "== open model against the Redis instance at half its maximum: $half_rate calls/s for 30 s =="
LOADTEST_QUIET= loadtest $RED_PORT $(( half_rate * 30 )) --rate "$half_rate" --json "$OUT/open.json" \
  > "$OUT/open.txt"
grep -v '^calls started' "$OUT/open.txt"

echo "== Redis memory per live call (20000 calls waiting in a menu, an empty Redis) =="
"$REDIS" --port $FOOTPRINT_REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis2.log" 2>&1 &
FP_REDIS_PID=$!
wait_port $FOOTPRINT_REDIS_PORT
java -Xmx512m -jar "$JAR" footprint --calls 20000 --flows bench/flows --to +46850009999 \
  --redis redis://127.0.0.1:$FOOTPRINT_REDIS_PORT 2>/dev/null | grep -v -e INFO -e WARN | tee "$OUT/footprint.txt"

echo
echo "== summary =="
"$REDIS" --version | head -1
printf "in-memory throughput: %s callbacks/s\n" "$mem_cps"
printf "Redis throughput:     %s callbacks/s\n" "$red_cps"
printf "ratio redis/memory (best rounds): %s (target >= 0.5)\n" "$ratio"
printf "CPU per callback (last round): memory %s us; redis %s us callflow + %s us redis-server\n" \
  "$mem_cpu" "$red_cpu" "$redis_cpu"
python3 - "$OUT/open.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
all_ = [x for x in r["latencyMs"] if x["callback"] == "ALL"][0]
print(f"Redis open loop at half max: p50 {all_['p50']} ms, p99 {all_['p99']} ms (target < 10), "
      f"p99.9 {all_['p99.9']} ms, failed calls {r['calls']['failed']}")
PY
# The p99 of each second: shows whether the whole-run tail is steady or comes from a few bad seconds.
python3 - "$OUT/open.txt" <<'PY'
import re, statistics, sys
seconds = [float(m.group(1)) for m in re.finditer(r"\| p99 ([0-9.]+) ms", open(sys.argv[1]).read())]
if seconds:
    ordered = sorted(seconds)
    print(f"  per second: p99 under 10 ms in {sum(s < 10 for s in seconds)} of {len(seconds)} seconds, "
          f"median second {statistics.median(seconds):.2f} ms, worst {ordered[-1]:.2f} ms")
PY
grep "redis bytes per live call" "$OUT/footprint.txt"
