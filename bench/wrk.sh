#!/usr/bin/env bash
# callflow against a bare Vert.x server (the ceiling) under wrk, a load generator in C that is not the bottleneck:
# THREADS threads with one connection each, every thread walking whole calls through bench/flows/bench.json
# (bench/wrk/calls.lua: newCall, four getIvrCommand, callEvent, sessionCompleted). Both servers run on LOOPS event
# loops. After a warm-up of each, ROUNDS rounds of SECONDS_EACH seconds alternate between them; the best round of
# each gives the ratio. CPU per callback is read from /proc over each round. Traffic goes only to 127.0.0.1.
#   bash bench/wrk.sh                                 # ~2 minutes
#   ROUNDS=5 SECONDS_EACH=20 bash bench/wrk.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JVM_OPTS='-Xmx1g -XX:+UseZGC' bash bench/wrk.sh
#   CURVE=1 bash bench/wrk.sh            # also: a fresh callflow's CPU per callback, 2 s at a time, over its first 30 s
#   SECONDS_EACH=1 WARMUP=1 ROUNDS=1 CF_WARMUP=0 bash bench/wrk.sh   # a smoke run (BenchWrkIT)
# Run it on a quiet machine: anything else on the cores moves the numbers more than most changes do.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
WARMUP=${WARMUP:-15}
THREADS=${THREADS:-16}
LOOPS=${LOOPS:-2}
JAVA=${JAVA:-java}
CF_WARMUP=${CF_WARMUP:-30}   # callflow's server.warmupSeconds: synthetic calls before /ready (0: none)
JVM_OPTS=${JVM_OPTS:--Xmx1g}
CF_PORT=${CF_PORT:-18180}
CEIL_PORT=${CEIL_PORT:-18181}
JAR=target/callflow.jar
OUT=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -f "$JAR" ] || mvn -B -q package -DskipTests

cleanup() { kill "${CF_PID:-}" "${CEIL_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

for port in $CF_PORT $CEIL_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done

source bench/common.sh

# shellcheck disable=SC2086
$JAVA $JVM_OPTS -jar "$JAR" ceiling --port "$CEIL_PORT" --instances "$LOOPS" > "$OUT/ceiling.log" 2>&1 &
CEIL_PID=$!
# shellcheck disable=SC2086
CALLFLOW_SERVER_PORT=$CF_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_SERVER_INSTANCES=$LOOPS CALLFLOW_ADMIN_PORT=0 \
  CALLFLOW_SERVER_WARMUP_SECONDS=$CF_WARMUP \
  CALLFLOW_FLOWS_DIR=bench/flows CALLFLOW_FLOWS_DEFAULT_FLOW=bench \
  $JAVA $JVM_OPTS -jar "$JAR" serve > "$OUT/callflow.log" 2>&1 &
CF_PID=$!
wait_port "$CEIL_PORT"
wait_port "$CF_PORT"
wait_ready "$CF_PORT"

echo "== wrk: $THREADS threads x 1 connection, whole calls (7 callbacks), $LOOPS event loops each," \
  "warm-up ${WARMUP}s, $ROUNDS rounds of ${SECONDS_EACH}s alternating =="
echo "java: $($JAVA -version 2>&1 | head -1); options: $JVM_OPTS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r _ _ _ _ warm_ceil_cpu _ _ <<< "$(run_wrk "$CEIL_PORT" "$WARMUP" "$OUT/warm-ceiling.txt" "$CEIL_PID")"
read -r _ _ _ _ warm_cf_cpu _ _ <<< "$(run_wrk "$CF_PORT" "$WARMUP" "$OUT/warm-callflow.txt" "$CF_PID")"
echo "warm-up: CPU per callback ceiling $warm_ceil_cpu us, callflow $warm_cf_cpu us"

best_ceil=0; best_cf=0; failed=0
for round in $(seq 1 "$ROUNDS"); do
  read -r _ c c50 c99 ccpu cbad cerr <<< "$(run_wrk "$CEIL_PORT" "$SECONDS_EACH" "$OUT/ceiling$round.txt" "$CEIL_PID")"
  read -r _ f f50 f99 fcpu fbad ferr <<< "$(run_wrk "$CF_PORT" "$SECONDS_EACH" "$OUT/callflow$round.txt" "$CF_PID")"
  failed=$((failed + cbad + cerr + fbad + ferr))
  printf "round %d: ceiling %6d callbacks/s (%5.1f us CPU each, p50 %s ms, p99 %s ms) | callflow %6d callbacks/s" \
    "$round" "$c" "$ccpu" "$c50" "$c99" "$f"
  printf " (%5.1f us CPU each, p50 %s ms, p99 %s ms) | ratio %s\n" "$fcpu" "$f50" "$f99" \
    "$(python3 -c "print(f'{$f/$c:.2f}')")"
  if [ "$c" -gt "$best_ceil" ]; then best_ceil=$c; best_ceil_cpu=$ccpu; fi
  if [ "$f" -gt "$best_cf" ]; then best_cf=$f; best_cf_cpu=$fcpu; fi
  last_ceil_cpu=$ccpu; last_cf_cpu=$fcpu
done

echo "== summary =="
echo "ceiling, best round:  $best_ceil callbacks/s ($best_ceil_cpu us CPU each)"
echo "callflow, best round: $best_cf callbacks/s ($best_cf_cpu us CPU each)"
python3 -c "print(f'ratio callflow/ceiling (best rounds): {$best_cf/$best_ceil:.2f} (target >= 0.80, stretch 0.90)')"
python3 -c "print(f'CPU per callback, last round: ceiling $last_ceil_cpu us, callflow $last_cf_cpu us, ' \
  f'callflow/ceiling {$last_cf_cpu/$last_ceil_cpu:.2f} (target <= 1.3)')"
echo "callbacks not answered 200, or socket errors: $failed"

# The warm-up curve: a fresh callflow under the same load from the moment /ready says 200, 2 s at a time for 30 s,
# without the warm-up (server.warmupSeconds 0) and with it (CF_WARMUP).
if [ "${CURVE:-0}" = 1 ]; then
  kill "$CF_PID" "$CEIL_PID" 2>/dev/null || true
  wait "$CF_PID" "$CEIL_PID" 2>/dev/null || true
  for warmup in 0 "$CF_WARMUP"; do
    start_ms=$(date +%s%3N)
    # shellcheck disable=SC2086
    CALLFLOW_SERVER_PORT=$CF_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_SERVER_INSTANCES=$LOOPS CALLFLOW_ADMIN_PORT=0 \
      CALLFLOW_SERVER_WARMUP_SECONDS=$warmup CALLFLOW_FLOWS_DIR=bench/flows CALLFLOW_FLOWS_DEFAULT_FLOW=bench \
      $JAVA $JVM_OPTS -jar "$JAR" serve > "$OUT/curve$warmup.log" 2>&1 &
    CF_PID=$!
    wait_port "$CF_PORT"
    wait_ready "$CF_PORT"
    echo "== fresh callflow, server.warmupSeconds=$warmup: ready $(( $(date +%s%3N) - start_ms )) ms after start;" \
      "then 2 s at a time: callbacks/s (us CPU each) =="
    line=""
    for slice in $(seq 1 15); do
      read -r _ r _ _ cpu _ _ <<< "$(run_wrk "$CF_PORT" 2 "$OUT/curve$warmup-$slice.txt" "$CF_PID")"
      line="$line $r ($cpu)"
    done
    echo "$line"
    kill "$CF_PID"; wait "$CF_PID" 2>/dev/null || true
  done
fi
[ "$failed" -eq 0 ]
