# Helpers shared by the bench/ scripts; source it from the repository root with JAR (and SCRIPT for loadtest) set.

# Waits until something listens on the loopback port $1 (60 s at most: a JVM starts slowly on a busy machine).
wait_port() {
  for _ in $(seq 1 1200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "port $1 did not open" >&2; return 1
}

# Waits until callflow on loopback port $1 answers /ready with 200 (it warms up first: server.warmupSeconds), 60 s
# at most, so that nothing is measured while the instance still runs its synthetic calls.
wait_ready() {
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready")" = 200 ]; then return 0; fi
    sleep 0.1
  done
  echo "callflow on port $1 did not get ready" >&2; return 1
}

# callflow loadtest against 127.0.0.1:$1 with $2 calls of $SCRIPT, after 5000 unmeasured warm-up calls.
# With LOADTEST_QUIET set empty it also prints its progress line (with that second's p99) every second.
loadtest() { # port, calls, extra args...
  local port=$1 calls=$2; shift 2
  java -Xmx1g -jar "$JAR" loadtest ${LOADTEST_QUIET---quiet} --target "http://127.0.0.1:$port" --to +46850009999 \
    --script "$SCRIPT" --calls "$calls" --compress 1000000 --duration 300 --warmup 5000 "$@"
}

# Callbacks per second from a loadtest --json report.
rate_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['callbacksPerSecond'])" "$1"; }

# CPU ticks (user + system) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

# Microseconds of CPU per callback between two cpu_ticks readings, over a round of $CALLS (+ 5000 warm-up) calls.
cpu_us_per_callback() { # ticks before, ticks after
  python3 -c "print(round(($2 - $1) / $TICK * 1e6 / (($CALLS + 5000) * 6), 1))"
}

# redis-server from PATH, else the Linux x86-64 binary the test artifact com.github.codemonstur:embedded-redis ships.
redis_binary() {
  if command -v redis-server >/dev/null; then command -v redis-server; return; fi
  local jar=~/.m2/repository/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar
  [ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=com.github.codemonstur:embedded-redis:1.4.3 >&2
  python3 -c "import zipfile,sys; open(sys.argv[2],'wb').write(zipfile.ZipFile(sys.argv[1]).read('redis-server-6.2.6-v5-linux-amd64'))" \
    "$jar" "${OUT:-/tmp}/redis-server"
  chmod +x "${OUT:-/tmp}/redis-server"
  echo "${OUT:-/tmp}/redis-server"
}

# A redis-server on loopback port $1 with the settings the README recommends for sessions (no snapshots, no AOF,
# no eviction), its output in $2; waits until it listens and leaves its PID in REDIS_PID.
session_redis() { # port, log file
  "$REDIS" --port "$1" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction > "$2" 2>&1 &
  REDIS_PID=$!
  wait_port "$1"
}

# One wrk run (THREADS threads, one connection each, whole calls of bench/wrk/calls.lua) against port $1 for $2
# seconds, its output in $3, CPU of process $4 read from /proc; prints "requests rate p50 p99 cpu_us not200 errors".
run_wrk() { # port, seconds, output file, pid
  local t0 t1
  t0=$(cpu_ticks "$4")
  wrk -t"$THREADS" -c"$THREADS" -d"$2s" --timeout 5s -s bench/wrk/calls.lua "http://127.0.0.1:$1" -- "r$RANDOM$RANDOM" \
    > "$3" 2>&1
  t1=$(cpu_ticks "$4")
  python3 - "$3" "$t0" "$t1" "$TICK" <<'PY'
import sys
line = [l for l in open(sys.argv[1]) if l.startswith("WRK ")][0]
f = dict(kv.split("=") for kv in line.split()[1:])
if int(f["not200"]) or int(f["errors"]):
    print(f"wrk saw {f['not200']} answers other than 200 and {f['errors']} socket errors", file=sys.stderr)
cpu = (float(sys.argv[3]) - float(sys.argv[2])) / float(sys.argv[4]) * 1e6 / max(int(f["requests"]), 1)
print(f"{f['requests']} {float(f['rate']):.0f} {f['p50_ms']} {f['p99_ms']} {cpu:.1f} {f['not200']} {f['errors']}")
PY
}
