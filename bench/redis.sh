#!/usr/bin/env bash
# callflow with in-memory sessions against callflow with sessions in Redis, under the same light generator as
# bench/wrk.sh (wrk, THREADS threads with one connection each, whole calls of bench/wrk/calls.lua), in one run on
# this machine, rounds alternating after a warm-up of each. Prints the best round of each and their ratio, server
# and redis-server CPU per callback, the open-loop tail of the Redis instance at half its maximum (bench/openloop,
# C, no pauses of its own), and Redis memory per live call. Traffic goes only to 127.0.0.1; everything stops by
# itself. Run it on a quiet machine.
#   bash bench/redis.sh                       # ~3 minutes
#   ROUNDS=5 SECONDS_EACH=20 bash bench/redis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
WARMUP=${WARMUP:-20}
THREADS=${THREADS:-16}
SECONDS_OPEN=${SECONDS_OPEN:-30}
JAVA=${JAVA:-java}
JVM_OPTS=${JVM_OPTS:--Xmx1g}
JAR=target/callflow.jar
MEM_PORT=18290
RED_PORT=18291
REDIS_PORT=16290
FOOTPRINT_REDIS_PORT=16291
OUT=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cc -O2 -o "$OUT/openloop" bench/openloop/openloop.c
[ -f "$JAR" ] || mvn -B -q package -DskipTests
source bench/common.sh

REDIS=$(redis_binary)

cleanup() { kill "${MEM_PID:-}" "${RED_PID:-}" "${REDIS_PID:-}" "${FP_REDIS_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

session_redis $REDIS_PORT "$OUT/redis.log"

serve() { # port, extra env...
  local port=$1; shift
  # exec: the background job's PID is the JVM's, for the CPU readings and the clean-up.
  # shellcheck disable=SC2086
  exec env "$@" CALLFLOW_SERVER_PORT="$port" CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_SERVER_INSTANCES=2 \
    CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/flows CALLFLOW_FLOWS_DEFAULT_FLOW=bench $JAVA $JVM_OPTS -jar "$JAR" serve
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

echo "== wrk: $THREADS threads x 1 connection, whole calls (7 callbacks), warm-up ${WARMUP}s each, $ROUNDS rounds of" \
  "${SECONDS_EACH}s alternating =="
echo "java: $($JAVA -version 2>&1 | head -1); options: $JVM_OPTS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk $MEM_PORT "$WARMUP" "$OUT/warm-memory.txt" $MEM_PID > /dev/null
run_wrk $RED_PORT "$WARMUP" "$OUT/warm-redis.txt" $RED_PID > /dev/null
best_mem=0; best_red=0; failed=0
for round in $(seq 1 "$ROUNDS"); do
  read -r _ m m50 m99 mcpu mbad merr <<< "$(run_wrk $MEM_PORT "$SECONDS_EACH" "$OUT/memory$round.txt" $MEM_PID)"
  r0=$(cpu_ticks $REDIS_PID)
  read -r n r r50 r99 rcpu rbad rerr <<< "$(run_wrk $RED_PORT "$SECONDS_EACH" "$OUT/redis$round.txt" $RED_PID)"
  scpu=$(python3 -c "print(f'{($(cpu_ticks $REDIS_PID) - $r0) / $TICK * 1e6 / max($n, 1):.1f}')")
  failed=$((failed + mbad + merr + rbad + rerr))
  printf "round %d: memory %6d callbacks/s (%5.1f us CPU each, p50 %s ms, p99 %s ms) | redis %6d callbacks/s" \
    "$round" "$m" "$mcpu" "$m50" "$m99" "$r"
  printf " (%5.1f us callflow + %s us redis-server CPU each, p50 %s ms, p99 %s ms) | ratio %s\n" "$rcpu" "$scpu" \
    "$r50" "$r99" "$(python3 -c "print(f'{$r/$m:.2f}')")"
  if [ "$m" -gt "$best_mem" ]; then best_mem=$m; best_mem_cpu=$mcpu; fi
  if [ "$r" -gt "$best_red" ]; then best_red=$r; best_red_cpu=$rcpu; best_redis_cpu=$scpu; fi
done

# Half of the Redis instance's best round, in calls per second (7 callbacks a call), as bench/openloop.sh does.
rate=$(python3 -c "print(max(1, round($best_red / 2 / 7)))")
echo "== open loop against the Redis instance at half its maximum: $rate calls/s ($(( rate * 7 )) callbacks/s)" \
  "for ${SECONDS_OPEN}s after 5 s unmeasured =="
"$OUT/openloop" 127.0.0.1 $RED_PORT "$rate" "$SECONDS_OPEN" 128 5 > "$OUT/open.txt" || true
cat "$OUT/open.txt"

echo "== Redis memory per live call (20000 calls waiting in a menu, an empty Redis) =="
"$REDIS" --port $FOOTPRINT_REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis2.log" 2>&1 &
FP_REDIS_PID=$!
wait_port $FOOTPRINT_REDIS_PORT
$JAVA -Xmx512m -jar "$JAR" footprint --calls 20000 --flows bench/flows --to +46850009999 \
  --redis redis://127.0.0.1:$FOOTPRINT_REDIS_PORT 2>/dev/null | grep -v -e INFO -e WARN | tee "$OUT/footprint.txt"

echo
echo "== summary =="
"$REDIS" --version | head -1
echo "in-memory, best round: $best_mem callbacks/s ($best_mem_cpu us CPU each)"
echo "Redis, best round:     $best_red callbacks/s ($best_red_cpu us callflow + $best_redis_cpu us redis-server CPU each)"
python3 -c "print(f'ratio redis/memory (best rounds): {$best_red/$best_mem:.2f} (target >= 0.5)')"
sed -n 's/^OPENLOOP p50_ms=\([^ ]*\) p90_ms=[^ ]* p99_ms=\([^ ]*\) p999_ms=\([^ ]*\) max_ms=\([^ ]*\).*/Redis open loop at half max: p50 \1 ms, p99 \2 ms, p99.9 \3 ms, max \4 ms/p' "$OUT/open.txt"
grep "redis bytes per live call" "$OUT/footprint.txt" || true
echo "callbacks not answered 200, or socket errors: $failed"
[ "$failed" -eq 0 ]
