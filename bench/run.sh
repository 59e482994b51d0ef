#!/usr/bin/env bash
# callflow vs a bare Vert.x server answering the same callbacks with canned JSON, in one run on this machine.
# Each load test first runs 5000 unmeasured calls, so both the servers and the load generator are JIT-warm.
# Prints: max throughput of both (closed model) and the ratio, open-loop latency at half of callflow's maximum,
# heap per live call, start-up time, and the cost of metrics and export (callflow without metrics, with metrics,
# with metrics and two exporters; ONLY=overhead runs just that part). Traffic goes only to 127.0.0.1; everything
# stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-20000}
CONCURRENCY=${CONCURRENCY:-64}
SCRIPT='press 3; press 123456#; hangup'
JAR=target/callflow.jar
CF_PORT=18080
CEIL_PORT=18081
CF_BARE_PORT=18082
CF_FULL_PORT=18083
# The admin API and /metrics of the full instance (the others take a free admin port: CALLFLOW_ADMIN_PORT=0).
CF_FULL_ADMIN_PORT=18084
ONLY=${ONLY:-all}
OUT=$(mktemp -d)

[ -f "$JAR" ] || mvn -B -q package -DskipTests

cleanup() { kill "${CF_PID:-}" "${CEIL_PID:-}" "${CF_BARE_PID:-}" "${CF_FULL_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

# Another process on one of these ports would be measured instead of ours: refuse to start.
for port in $CF_PORT $CEIL_PORT $CF_BARE_PORT $CF_FULL_PORT $CF_FULL_ADMIN_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done

source bench/common.sh

start_ms=$(date +%s%3N)
CALLFLOW_SERVER_PORT=$CF_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/flows \
  CALLFLOW_FLOWS_DEFAULT_FLOW=bench java -Xmx512m -jar "$JAR" serve > "$OUT/callflow.log" 2>&1 &
CF_PID=$!
wait_port $CF_PORT
startup_ms=$(( $(date +%s%3N) - start_ms ))
java -Xmx512m -jar "$JAR" ceiling --port $CEIL_PORT > "$OUT/ceiling.log" 2>&1 &
CEIL_PID=$!
wait_port $CEIL_PORT
# For the cost of metrics and export: callflow with neither, and callflow exporting every call's activity record
# to a JSON-lines file and to Expertflow CX (played by the ceiling server, which answers 202), both durable.
CALLFLOW_SERVER_PORT=$CF_BARE_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/flows \
  CALLFLOW_FLOWS_DEFAULT_FLOW=bench java -Dcallflow.metrics=off -Xmx512m -jar "$JAR" serve > "$OUT/bare.log" 2>&1 &
CF_BARE_PID=$!
CALLFLOW_SERVER_PORT=$CF_FULL_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=$CF_FULL_ADMIN_PORT CALLFLOW_FLOWS_DIR=bench/flows \
  CALLFLOW_FLOWS_DEFAULT_FLOW=bench CALLFLOW_REPORT_OUTBOX_DIR="$OUT/outbox" CALLFLOW_REPORT_EXPORTERS="[
    {\"type\":\"jsonl\",\"name\":\"file\",\"path\":\"$OUT/activity.jsonl\",\"rotateBytes\":1073741824,\"keep\":1},
    {\"type\":\"expertflow\",\"name\":\"cx\",\"fqdn\":\"http://127.0.0.1:$CEIL_PORT\",\"serviceIdentifier\":\"1218\",
     \"senderId\":\"bench\",\"senderName\":\"callflow-bench\",\"callVariables\":{\"callVariable1\":\"account\"}}]" \
  java -Xmx512m -jar "$JAR" serve > "$OUT/full.log" 2>&1 &
CF_FULL_PID=$!
wait_port $CF_BARE_PORT
wait_port $CF_FULL_PORT
wait_ready $CF_PORT
wait_ready $CF_BARE_PORT
wait_ready $CF_FULL_PORT

# Server CPU per callback is the steadier measure: read from /proc, over warm-up and measured calls together.
if [ "$ONLY" = all ]; then
# The load generator shares the two cores with the server, so single runs are noisy: two alternating rounds
# each, and the better round of each server counts.
echo "== max throughput, closed model: $CALLS calls, $CONCURRENCY in flight, 2 rounds each =="
ceil_cps=0; cf_cps=0; cf_low=0
for round in 1 2; do
  t0=$(cpu_ticks $CEIL_PID)
  loadtest $CEIL_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/ceiling$round.json" > "$OUT/ceiling$round.txt"
  ceil_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $CEIL_PID)")
  t0=$(cpu_ticks $CF_PID)
  loadtest $CF_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/callflow$round.json" > "$OUT/callflow$round.txt"
  cf_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $CF_PID)")
  c=$(rate_of "$OUT/ceiling$round.json"); f=$(rate_of "$OUT/callflow$round.json")
  echo "round $round: ceiling $c callbacks/s ($ceil_cpu us CPU each), callflow $f callbacks/s ($cf_cpu us CPU each)"
  if [ "$c" -gt "$ceil_cps" ]; then ceil_cps=$c; cp "$OUT/ceiling$round.txt" "$OUT/ceiling.txt"; fi
  if [ "$f" -gt "$cf_cps" ]; then cf_cps=$f; cp "$OUT/callflow$round.txt" "$OUT/callflow.txt"; fi
  if [ "$cf_low" -eq 0 ] || [ "$f" -lt "$cf_low" ]; then cf_low=$f; fi
done
echo "-- ceiling (bare Vert.x, canned JSON), best round"; cat "$OUT/ceiling.txt"
echo "-- callflow, best round"; cat "$OUT/callflow.txt"
ratio=$(python3 -c "print(f'{$cf_cps/$ceil_cps:.2f}')")

# Half of callflow's maximum, in calls per second (each call is 6 callbacks); the lower round's maximum, so a
# lucky round does not push the "half" load close to what the machine can do at a worse moment.
half_rate=$(python3 -c "print(round($cf_low / 6 / 2))")
open_calls=$(( half_rate * 30 ))
echo "== open model at half of callflow's maximum: $half_rate calls/s for 30 s =="
loadtest $CF_PORT "$open_calls" --rate "$half_rate" --json "$OUT/open.json" > "$OUT/open.txt"
cat "$OUT/open.txt"

echo "== heap per live call (100000 calls waiting in a menu, -Xmx512m) =="
java -Xmx512m -jar "$JAR" footprint --calls 100000 --flows bench/flows --to +46850009999 2>/dev/null | grep -v INFO

fi

# The cost of metrics and export on the callback path: the same load against callflow without metrics or export,
# with metrics (the default), and with metrics and two exporters, alternating, two rounds each.
echo "== cost of metrics and export: $CALLS calls, $CONCURRENCY in flight, 2 rounds each =="
bare_cps=0; met_cps=0; full_cps=0
for round in 1 2; do
  t0=$(cpu_ticks $CF_BARE_PID)
  loadtest $CF_BARE_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/bare$round.json" > /dev/null
  bare_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $CF_BARE_PID)")
  t0=$(cpu_ticks $CF_PID)
  loadtest $CF_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/metrics$round.json" > /dev/null
  met_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $CF_PID)")
  t0=$(cpu_ticks $CF_FULL_PID)
  loadtest $CF_FULL_PORT "$CALLS" --concurrency "$CONCURRENCY" --json "$OUT/full$round.json" > "$OUT/full$round.txt"
  full_cpu=$(cpu_us_per_callback "$t0" "$(cpu_ticks $CF_FULL_PID)")
  b=$(rate_of "$OUT/bare$round.json"); m=$(rate_of "$OUT/metrics$round.json"); f=$(rate_of "$OUT/full$round.json")
  echo "round $round: no metrics, no export $b callbacks/s ($bare_cpu us CPU each); metrics $m ($met_cpu us);" \
    "metrics + export $f ($full_cpu us)"
  if [ "$b" -gt "$bare_cps" ]; then bare_cps=$b; fi
  if [ "$m" -gt "$met_cps" ]; then met_cps=$m; fi
  if [ "$f" -gt "$full_cps" ]; then full_cps=$f; cp "$OUT/full$round.txt" "$OUT/full.txt"; fi
done
echo "-- callflow with metrics and export, best round"; cat "$OUT/full.txt"
# Every call of every round (warm-up included) must have reached both exporters.
exported=$((2 * (CALLS + 5000)))
for _ in $(seq 1 100); do
  lines=$(wc -l < "$OUT/activity.jsonl" 2>/dev/null || echo 0)
  cx=$(curl -s "127.0.0.1:$CF_FULL_ADMIN_PORT/metrics" | awk '/^callflow_export_delivered_total\{exporter="cx"\}/ {print int($2)}')
  if [ "$lines" -ge "$exported" ] && [ "${cx:-0}" -ge "$exported" ]; then break; fi
  sleep 0.2
done
curl -s "127.0.0.1:$CF_FULL_ADMIN_PORT/metrics" > "$OUT/full.metrics"
syncs=$(awk '/^callflow_export_outbox_sync_seconds_count/ {print $2}' "$OUT/full.metrics")
sync_sum=$(awk '/^callflow_export_outbox_sync_seconds_sum/ {print $2}' "$OUT/full.metrics")
echo
echo "== summary =="
if [ "$ONLY" = all ]; then
printf "ceiling throughput:  %s callbacks/s\n" "$ceil_cps"
printf "callflow throughput: %s callbacks/s\n" "$cf_cps"
printf "ratio callflow/ceiling: %s (target >= 0.80)\n" "$ratio"
printf "server CPU per callback (last round): ceiling %s us, callflow %s us\n" "$ceil_cpu" "$cf_cpu"
python3 - "$OUT/open.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
all_ = [x for x in r["latencyMs"] if x["callback"] == "ALL"][0]
print(f"open loop at half max: p99 {all_['p99']} ms (target < 5), p99.9 {all_['p99.9']} ms (target < 20), failed calls {r['calls']['failed']}")
PY
fi
printf "start-up to listening: %s ms\n" "$startup_ms"
printf "cost of metrics and export, best rounds: no metrics %s, metrics %s, metrics + export %s callbacks/s\n" \
  "$bare_cps" "$met_cps" "$full_cps"
python3 -c "print(f'ratio metrics/none: {$met_cps/$bare_cps:.2f}, metrics+export/none: {$full_cps/$bare_cps:.2f}')"
printf "server CPU per callback (last round): none %s us, metrics %s us, metrics + export %s us\n" \
  "$bare_cpu" "$met_cpu" "$full_cpu"
printf "exported: %s JSON lines, %s CX deliveries of %s calls; outbox: %s fsyncs, %s records per fsync, %s ms each\n" \
  "$lines" "${cx:-0}" "$exported" "$syncs" \
  "$(python3 -c "print(round(2 * $exported / max($syncs, 1), 1))")" \
  "$(python3 -c "print(round(1000 * $sync_sum / max($syncs, 1), 2))")"
