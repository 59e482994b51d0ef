#!/usr/bin/env bash
# The callback path while callflow talks back to the mediaservice: the same voicemail load (each call makes two
# REST requests, startrecording and stoprecording) against a mediaservice that answers at once and one that takes
# 500 ms, in one run. Callback latency must not follow the mediaservice's: the requests run after the answers.
# Traffic goes only to 127.0.0.1; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-100}
SECONDS_EACH=${SECONDS_EACH:-30}
DELAY=${DELAY:-500}
JAR=target/callflow.jar
CF_PORT=18090
API_PORT=18091
OUT=$(mktemp -d)

[ -f "$JAR" ] || mvn -B -q package -DskipTests
cleanup() { kill "${CF_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
source bench/common.sh
for port in $CF_PORT $API_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done

CALLFLOW_SERVER_PORT=$CF_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/talkback-flows \
  CALLFLOW_FLOWS_DEFAULT_FLOW=bench-voicemail CALLFLOW_MEDIASERVICE_BASE_URL=http://127.0.0.1:$API_PORT \
  CALLFLOW_MEDIASERVICE_TOKEN=bench-token java -Xmx512m -jar "$JAR" serve > "$OUT/callflow.log" 2>&1 &
CF_PID=$!
wait_port $CF_PORT

run() { # api delay in ms
  java -Xmx1g -jar "$JAR" loadtest --quiet --target "http://127.0.0.1:$CF_PORT" --to +46850008888 \
    --script 'press 1; wait 2s; press #' --compress 10 --ivr-answered --api-port $API_PORT --api-token bench-token \
    --api-delay "$1" --rate "$RATE" --calls $(( RATE * SECONDS_EACH )) --warmup 2000 --duration 300 \
    --json "$OUT/delay$1.json"
}

echo "== $(date -u +%FT%TZ) voicemail calls at $RATE calls/s for $SECONDS_EACH s, mediaservice answering at once =="
run 0 | tee "$OUT/delay0.txt"
echo "== the same, mediaservice answering after $DELAY ms =="
run "$DELAY" | tee "$OUT/delay$DELAY.txt"

python3 - "$OUT/delay0.json" "$OUT/delay$DELAY.json" "$DELAY" <<'PY'
import json, sys
fast, slow, delay = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def row(report):
    return next(r for r in report["latencyMs"] if r["callback"] == "ALL")
f, s = row(fast), row(slow)
print(f"callbacks p50/p99: {f['p50']:.2f}/{f['p99']:.2f} ms at once, {s['p50']:.2f}/{s['p99']:.2f} ms with a {delay} ms mediaservice"
      f" (p99 ratio {s['p99'] / max(f['p99'], 0.001):.2f})")
PY
grep -c "api.failed" "$OUT/callflow.log" | xargs echo "mediaservice requests that failed:"
