#!/usr/bin/env bash
# Open-loop tail latency at half of callflow's maximum, per garbage collector, side by side in one run: G1 on
# JDK 17 and generational ZGC on JDK 25 (and G1 on JDK 25). For each: a fresh callflow (warm before ready), its
# maximum under wrk (bench/wrk/calls.lua), then bench/openloop/openloop.c at half of it for SECONDS_OPEN seconds:
# calls start on schedule whatever the server does, latency counts from the intended send time, and the generator
# is C in one thread, so no pause of its own is in the figure. The server's safepoint pauses (-Xlog:safepoint)
# during the measured part are reported beside it. GENERATOR=loadtest uses `callflow loadtest --rate` instead (a
# JVM: its own safepoints are then reported too). Run it on a quiet machine.
#   bash bench/openloop.sh                  # ~4 minutes
#   SECONDS_OPEN=60 bash bench/openloop.sh
#   GENERATOR=loadtest bash bench/openloop.sh   # callflow's own JVM load test as the generator
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_OPEN=${SECONDS_OPEN:-30}
JDK17=${JDK17:-java}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
THREADS=${THREADS:-16}
CF_PORT=${CF_PORT:-18280}
SCRIPT='press 3; press 123456#; hangup'
JAR=target/callflow.jar
OUT=$(mktemp -d)

GENERATOR=${GENERATOR:-c}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cc -O2 -o "$OUT/openloop" bench/openloop/openloop.c
[ -f "$JAR" ] || mvn -B -q package -DskipTests
cleanup() { kill "${CF_PID:-}" 2>/dev/null || true; }
trap cleanup EXIT
source bench/common.sh

# Safepoint pauses in a -Xlog:safepoint file, from second $2 of the JVM's life on: count, p99, max and total (ms).
pauses() { # file, from seconds
  python3 - "$1" "$2" <<'PY'
import re, sys
ms = []
for line in open(sys.argv[1]):
    up = re.match(r"\[(\d+\.\d+)s\]", line)
    total = re.search(r"Total: (\d+) ns", line)
    if up and total and float(up.group(1)) >= float(sys.argv[2]):
        ms.append(int(total.group(1)) / 1e6)
ms.sort()
p99 = ms[int(len(ms) * 0.99)] if ms else 0
print(f"{len(ms)} pauses, p99 {p99:.2f} ms, max {max(ms, default=0):.2f} ms, total {sum(ms):.0f} ms")
PY
}

uptime_s() { python3 -c "import os,sys; print(float(open('/proc/uptime').read().split()[0]) - int(open(f'/proc/{sys.argv[1]}/stat').read().split()[21]) / os.sysconf('SC_CLK_TCK'))" "$1"; }

run() { # name, java, options
  local name=$1 java=$2 opts=$3
  [ -x "$(command -v "$java")" ] || { echo "== $name: $java not found, skipped"; return; }
  # shellcheck disable=SC2086
  CALLFLOW_SERVER_PORT=$CF_PORT CALLFLOW_SERVER_HOST=127.0.0.1 CALLFLOW_SERVER_INSTANCES=2 CALLFLOW_ADMIN_PORT=0 \
    CALLFLOW_FLOWS_DIR=bench/flows CALLFLOW_FLOWS_DEFAULT_FLOW=bench \
    "$java" $opts -Xlog:safepoint:file="$OUT/$name-server.log":uptime -jar "$JAR" serve > "$OUT/$name.log" 2>&1 &
  CF_PID=$!
  wait_port "$CF_PORT"
  wait_ready "$CF_PORT"
  wrk -t"$THREADS" -c"$THREADS" -d10s -s bench/wrk/calls.lua "http://127.0.0.1:$CF_PORT" -- "w$RANDOM" > /dev/null
  local max rate from
  max=$(wrk -t"$THREADS" -c"$THREADS" -d10s -s bench/wrk/calls.lua "http://127.0.0.1:$CF_PORT" -- "m$RANDOM" \
    | sed -n 's/^WRK .* rate=\([0-9]*\).*/\1/p')
  from=$(uptime_s "$CF_PID")
  if [ "$GENERATOR" = loadtest ]; then
    rate=$(python3 -c "print(max(1, round($max / 2 / 6)))")
    java -Xmx1g -Xlog:safepoint:file="$OUT/$name-generator.log":uptime -jar "$JAR" loadtest --quiet \
      --target "http://127.0.0.1:$CF_PORT" --to +46850009999 --script "$SCRIPT" --calls $(( rate * SECONDS_OPEN )) \
      --rate "$rate" --compress 1000000 --duration 300 --warmup $(( rate * 5 )) --json "$OUT/$name.json" \
      > "$OUT/$name.txt"
    echo "== $name ($("$java" -version 2>&1 | head -1 | cut -d'"' -f2), $opts): maximum $max callbacks/s under wrk;" \
      "callflow loadtest at $rate calls/s ($(( rate * 6 )) callbacks/s) for ${SECONDS_OPEN}s =="
    grep -E "^(ALL|calls:|callbacks:)" "$OUT/$name.txt"
    echo "generator safepoints (its whole life): $(pauses "$OUT/$name-generator.log" 0)"
    python3 - "$OUT/$name.json" "$name" >> "$OUT/summary.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a = [x for x in r["latencyMs"] if x["callback"] == "ALL"][0]
print(f"{sys.argv[2]:8s} p50 {a['p50']:7.2f} ms  p99 {a['p99']:7.2f} ms  p99.9 {a['p99.9']:7.2f} ms  max {a['max']:8.2f} ms")
PY
  else
    rate=$(python3 -c "print(max(1, round($max / 2 / 7)))")
    "$OUT/openloop" 127.0.0.1 "$CF_PORT" "$rate" "$SECONDS_OPEN" 128 5 > "$OUT/$name.txt" || true
    echo "== $name ($("$java" -version 2>&1 | head -1 | cut -d'"' -f2), $opts): maximum $max callbacks/s under wrk;" \
      "open loop at $rate calls/s ($(( rate * 7 )) callbacks/s) for ${SECONDS_OPEN}s after 5 s unmeasured =="
    cat "$OUT/$name.txt"
    sed -n "s/^OPENLOOP p50_ms=\([^ ]*\) p90_ms=[^ ]* p99_ms=\([^ ]*\) p999_ms=\([^ ]*\) max_ms=\([^ ]*\)/$name p50 \1 ms  p99 \2 ms  p99.9 \3 ms  max \4 ms/p" \
      "$OUT/$name.txt" >> "$OUT/summary.txt"
  fi
  echo "server safepoints during the open loop: $(pauses "$OUT/$name-server.log" "$from")"
  kill "$CF_PID"; wait "$CF_PID" 2>/dev/null || true
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run g1-17 "$JDK17" "-Xmx512m -XX:+UseG1GC"
run zgc-25 "$JDK25" "-Xmx512m -XX:+UseZGC"
run g1-25 "$JDK25" "-Xmx512m -XX:+UseG1GC"
echo "== summary (targets: p99 < 5 ms, p99.9 < 20 ms over the whole run) =="
cat "$OUT/summary.txt"
