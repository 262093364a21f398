#!/usr/bin/env bash
# Segment freshness benchmark (issue #5), end to end: starts Flywheel on a fresh copy of a data set
# made by generate-demo (the copy is removed afterwards), defines 100 segments through the REST API, waits
# until each was evaluated for everyone, then sends tracked events at RATE events/s (batches of 100
# to 127.0.0.1 only) for SECONDS while probes put existing persons into the issue's behavioural
# segment and take them out again, timing acknowledgement -> membership through the REST API.
#   bench/freshness.sh DATA_DIR [RATE] [SECONDS] [ACTIVE_PERSONS]
# e.g. bench/freshness.sh ./bench-10m 20000 120 10000
# RANKED_EVERY (default 2m) shortens how often RFM rules are ranked again (1 h in production) so that
# the measurement includes such passes. LISTENER=1 sends the tracking calls to the tracking API's own port
# (flywheel.collect.listener.port, PORT+1). The server's log is kept as /tmp/freshness-server.log.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/freshness.sh DATA_DIR [RATE] [SECONDS] [ACTIVE_PERSONS]" >&2; exit 2; }
SOURCE=$(cd "$1" && pwd)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/flywheel-freshness-XXXX")
trap 'rm -rf "$DATA"' EXIT
RATE=${2:-20000}
SECONDS_TO_RUN=${3:-180}
ACTIVE=${4:-10000}
PORT=${PORT:-18090}
PASSWORD=bench-password
if [ "${LISTENER:-0}" = 1 ]; then
  SERVER_OPTS="--flywheel.collect.listener.port=$((PORT + 1)) ${SERVER_OPTS:-}"
  export TRACK_URL="http://127.0.0.1:$((PORT + 1))"
fi
JAR_GIVEN=${JAR:-}
JAR=${JAR:-target/flywheel.jar}
[ -n "${JAR_GIVEN:-}" ] || mvn -q -B -ntp -o -DskipTests package
mvn -q -B -ntp -o -DskipTests test-compile
CP=$(mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
HARNESS="java -Xmx1g -cp target/test-classes:target/classes:$CP io.flywheel.people.FreshnessBenchmark"
# a copy of the data set: every run starts from the same events (a run adds millions); the data set's console
# password is unknown, so the operational database starts anew and the project is made again; set members
# other benchmarks left behind are dropped (their keys would clash with the segments defined here)
cp -r "$SOURCE/events.duckdb" "$DATA/"
$HARNESS ids "$DATA/events.duckdb" "$DATA/freshness-ids.txt" 200000 clear
java -Xmx${HEAP:-6g} ${SERVER_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --flywheel.data-dir="$DATA" --flywheel.demo.enabled=false \
  --flywheel.admin-password="$PASSWORD" --flywheel.segments.full-refresh-interval="${RANKED_EVERY:-2m}" \
  --logging.level.root=WARN --logging.level.io.flywheel.people.internal.SetRefresher=DEBUG ${SERVER_OPTS:-} > /tmp/freshness-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
  sleep 1
done
echo "cores: $(nproc), server heap: -Xmx${HEAP:-6g}, rate: $RATE events/s, active persons: $ACTIVE, measured for ${SECONDS_TO_RUN}s"
$HARNESS run "http://127.0.0.1:$PORT" "$PASSWORD" 1 "$DATA/freshness-ids.txt" "$RATE" "$SECONDS_TO_RUN" "$ACTIVE"
# the refresher's incremental rounds while the probes ran (debug lines of the server's log)
grep -a "Refreshed .* sets of project 1 for [0-9]* persons" /tmp/freshness-server.log | tail -n +2 \
  | sed 's/.* for \([0-9]*\) persons in \([0-9]*\) ms/\1 \2/' | sort -n -k2 \
  | awk '{p[NR]=$1; t[NR]=$2; s+=$1} END {if (NR) printf "incremental refreshes: %d, persons per refresh: mean %d; time: median %d ms, max %d ms\n", NR, s/NR, t[int((NR+1)/2)], t[NR]}'
