#!/usr/bin/env bash
# Tracking API benchmark: starts Flywheel on a fresh data directory, creates a project and drives
# load with wrk (Debian package 'wrk') from this machine to 127.0.0.1 only. Bounded in time.
#   bench/tracking.sh [seconds]        (default 60)
# Prints one line per scenario; docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-60}
PORT=${PORT:-18080}
HEAP=${HEAP:-2g}
DATA=$(mktemp -d /tmp/flywheel-bench-XXXX)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
JAR=${JAR:-target/flywheel.jar}
[ -f "$JAR" ] || mvn -q -B -DskipTests package
java -Xmx"$HEAP" -jar "$JAR" --server.port="$PORT" --flywheel.data-dir="$DATA" \
  --flywheel.demo.enabled=false --flywheel.admin-password=bench-password --logging.level.root=WARN > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
  sleep 1
done
KEY=$(curl -sf -u admin:bench-password -H 'Content-Type: application/json' -d '{"name":"Bench"}' \
  "http://127.0.0.1:$PORT/api/v1/projects" | sed 's/.*"writeKey":"\([^"]*\)".*/\1/')
echo "heap: -Xmx$HEAP, cores: $(nproc), duration: ${SECONDS_PER_RUN}s per scenario"
metric() {
  curl -sf -u admin:bench-password "http://127.0.0.1:$PORT/actuator/metrics/$1" | sed 's/.*"value":\([0-9.E]*\).*/\1/'
}
drain() {
  for _ in $(seq 1 300); do
    [ "$(metric flywheel.ingest.lag)" = "0.0" ] && return
    sleep 1
  done
}
run() {
  local name=$1; shift
  drain
  printf '%-40s ' "$name"
  WRITE_KEY=$KEY "$@" -s bench/tracking.lua "http://127.0.0.1:$PORT" | tail -1
}
run "warm-up (batches of 100)" env BATCH_SIZE=100 wrk -t1 -c16 -d10s
run "batches of 100, 32 connections" env BATCH_SIZE=100 wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
run "single events, 64 connections" env BATCH_SIZE=1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s"
# paced: 32 connections each waiting DELAY_MS between batches (default 100 ms, about 300 batches/s)
run "batches of 100, paced (DELAY_MS=${DELAY_MS:-100})" env BATCH_SIZE=100 DELAY_MS="${DELAY_MS:-100}" wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
run "single events, paced (DELAY_MS=${SINGLE_DELAY_MS:-10})" env BATCH_SIZE=1 DELAY_MS="${SINGLE_DELAY_MS:-10}" wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
drain
echo "accepted: $(metric flywheel.ingest.accepted)  stored: $(metric flywheel.ingest.stored)  duplicates: $(metric flywheel.ingest.duplicates)  heap used at end: $(metric 'jvm.memory.used?tag=area:heap') bytes"
