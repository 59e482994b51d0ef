#!/usr/bin/env bash
# The scale-out example on this machine, without Docker: redis-server, two callflow instances and nginx running
# nginx.conf from this folder (its upstream hosts and listen address rewritten to loopback ports), then a load test
# through nginx during which one instance is killed with SIGKILL. Every call must still complete.
# Needs nginx (apt-get install nginx-light) and redis-server (or the binary the test artifact ships).
# Traffic stays on 127.0.0.1; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=target/callflow.jar
SCRIPT='press 3; press 123456#'
REDIS_PORT=16490
LB_PORT=18480
A_PORT=18481
B_PORT=18482
OUT=$(mktemp -d)

[ -f "$JAR" ] || mvn -B -q package -DskipTests
source bench/common.sh
REDIS=$(redis_binary)

cleanup() { kill "${A_PID:-}" "${B_PID:-}" "${REDIS_PID:-}" "${NGINX_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT

session_redis $REDIS_PORT "$OUT/redis.log"

instance() { # port
  exec env CALLFLOW_SERVER_PORT="$1" CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_ADMIN_PORT=0 CALLFLOW_FLOWS_DIR=bench/flows \
    CALLFLOW_FLOWS_DEFAULT_FLOW=bench CALLFLOW_SESSION_STORE=redis \
    CALLFLOW_SESSION_REDIS_URL=redis://127.0.0.1:$REDIS_PORT java -Xmx256m -jar "$JAR" serve
}
instance $A_PORT > "$OUT/a.log" 2>&1 &
A_PID=$!
instance $B_PORT > "$OUT/b.log" 2>&1 &
B_PID=$!
wait_port $A_PORT
wait_port $B_PORT

sed -e "s/callflow-a:8080/127.0.0.1:$A_PORT/" -e "s/callflow-b:8080/127.0.0.1:$B_PORT/" \
  -e "s/listen 80;/listen 127.0.0.1:$LB_PORT; access_log off;/" config/scale-out/nginx.conf > "$OUT/nginx.conf"
nginx -p "$OUT" -c "$OUT/nginx.conf" -g "daemon off; pid $OUT/nginx.pid; error_log $OUT/nginx-error.log;" &
NGINX_PID=$!
wait_port $LB_PORT

echo "== 1000 calls at 50 a second through nginx (after 250 warm-up calls); instance A is killed with SIGKILL" \
  "8 s into them =="
# Compressed 20 times, a call lasts about a second: dozens are half-way through when A dies.
java -Xmx512m -jar "$JAR" loadtest --quiet --target "http://127.0.0.1:$LB_PORT" --to +46850009999 \
  --script "$SCRIPT" --calls 1000 --rate 50 --compress 20 --duration 60 --warmup 250 --json "$OUT/report.json" \
  > "$OUT/loadtest.txt" 2>&1 &
LOAD_PID=$!
sleep 13
kill -9 $A_PID
echo "killed instance A (pid $A_PID)"
status=0
wait $LOAD_PID || status=$?
cat "$OUT/loadtest.txt"
echo "callbacks in flight to A when it died, sent on to B by nginx: $(grep -c 'reset by peer' "$OUT/nginx-error.log" || true)"
# Every call must have ended as the flow says (the read-back, then the IVR hangs up), not with a failsafe.
python3 - "$OUT/report.json" <<'PY' || status=1
import json, sys
outcomes = json.load(open(sys.argv[1]))["outcomes"]
print("outcomes:", outcomes)
sys.exit(0 if set(outcomes) == {"ivr-hangup"} else 1)
PY
exit $status
