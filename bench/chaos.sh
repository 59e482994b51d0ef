#!/usr/bin/env bash
# The chaos run: two callflow instances on one Redis (AOF: appendonly yes, appendfsync everysec) behind a balancer
# that sends each callback to a random instance (and to the other when its instance refuses or dies), the simulator
# playing the mediaservice and its REST API. Calls carry effects: voicemail (startrecording/stoprecording), an http
# lookup with hold music (interruptivrcommand), outbound calls (placeivrcall), operator hang-ups
# (hangupparticipant), and every instance exports records to a JSON-lines file. Faults: random kill -9, kills aimed
# right after an answer that orders kept work (-Dcallflow.chaos.faultFile), a Redis restart. It counts effects
# ordered / carried out / repeated / ended unknown, records expected and delivered by id, and wrong endings; the
# exit code is 0 only with no problem. Everything runs on 127.0.0.1 and stops by itself.
#   SECONDS_RUN=75 RATE=40 bench/chaos.sh        (about 3000 calls over 75 s)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${SECONDS_RUN:-75}
RATE=${RATE:-40}
OUT=${OUT:-$(mktemp -d -t callflow-chaos.XXXXXX)}

command -v redis-server >/dev/null || { echo "redis-server is needed (apt-get install redis-server)" >&2; exit 1; }
mvn -B -q -o test-compile 2>/dev/null || mvn -B -q test-compile
CP_FILE=target/chaos-classpath.txt
[ -f "$CP_FILE" ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
echo "== $(date -u +%FT%TZ) chaos run: $SECONDS_RUN s at $RATE calls/s; processes' logs in $OUT"
java -Xmx1g -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" io.callflow.cli.ChaosRun \
  --seconds "$SECONDS_RUN" --rate "$RATE" --dir "$OUT"
