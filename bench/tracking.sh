#!/usr/bin/env bash
# Tracking API benchmark: starts Flywheel on a fresh data directory, creates a project and drives
# load with wrk (Debian package 'wrk') from this machine to 127.0.0.1 only. Bounded in time.
#   bench/tracking.sh [seconds]        (default 60); SERVER_OPTS adds server arguments
#   LISTENER=1 sends the tracking calls to the tracking API's own port (flywheel.collect.listener.port,
#   PORT+1) instead of /v1/ on the main port
# Prints one line per scenario; docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-60}
PORT=${PORT:-18080}
if [ "${LISTENER:-0}" = 1 ]; then
  TRACK="http://127.0.0.1:$((PORT + 1))"
  SERVER_OPTS="--flywheel.collect.listener.port=$((PORT + 1)) ${SERVER_OPTS:-}"
else
  TRACK="http://127.0.0.1:$PORT"
fi
HEAP=${HEAP:-2g}
DATA=$(mktemp -d /tmp/flywheel-bench-XXXX)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
JAR=${JAR:-target/flywheel.jar}
[ -f "$JAR" ] || mvn -q -B -DskipTests package
# ZGC, as the README's run command uses: G1 gives ~10% more peak but 40 ms+ p99 at half of it
java -Xmx"$HEAP" ${JVM_OPTS:--XX:+UseZGC} -jar "$JAR" --server.port="$PORT" --flywheel.data-dir="$DATA" --server.tomcat.threads.max=300 \
  --flywheel.demo.enabled=false --flywheel.admin-password=bench-password --logging.level.root=WARN ${SERVER_OPTS:-} > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break
  sleep 1
done
CREATED=$(curl -sf -u admin:bench-password -H 'Content-Type: application/json' -d '{"name":"Bench"}' "http://127.0.0.1:$PORT/api/v1/projects")
KEY=$(echo "$CREATED" | sed 's/.*"writeKey":"\([^"]*\)".*/\1/')
PROJECT=$(echo "$CREATED" | sed 's/.*"id":\([0-9]*\).*/\1/')
echo "heap: -Xmx$HEAP, cores: $(nproc), duration: ${SECONDS_PER_RUN}s per scenario, tracking calls to $TRACK"
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
  WRITE_KEY=$KEY "$@" -s bench/tracking.lua "$TRACK" | tail -1
}
# Visibility: a probe event is sent, and once it is acknowledged the query API is asked (bypassing its
# cache) until the event counts; prints the median and the worst of the probes' delays.
visibility() {
  local probes=${1:-10} times=()
  for i in $(seq 1 "$probes"); do
    local id="probe-$RANDOM-$i-$(date +%s%N)"
    local sent=$(date +%s%N)
    curl -sf -u "$KEY:" -H 'Content-Type: application/json' \
      -d "{\"userId\":\"probe\",\"event\":\"Probe\",\"messageId\":\"$id\",\"properties\":{\"probe\":\"$id\"}}" \
      "$TRACK/v1/track" >/dev/null
    local acked=$(date +%s%N)
    for _ in $(seq 1 200); do
      local total=$(curl -sf -u admin:bench-password -H 'Content-Type: application/json' \
        -d "{\"projectId\":$PROJECT,\"kind\":\"trend\",\"event\":\"Probe\",\"refresh\":true,\"filters\":[{\"property\":\"probe\",\"value\":\"$id\"}]}" \
        "http://127.0.0.1:$PORT/api/v1/query" | sed 's/.*"total":\([0-9.]*\).*/\1/')
      [ "$total" = "1.0" ] && break
      sleep 0.05
    done
    times+=($(( ($(date +%s%N) - acked) / 1000000 )))
    sleep 1
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "acknowledged -> visible to the query API: median %d ms, max %d ms over %d probes\n", a[int((NR+1)/2)], a[NR], NR}'
}
# the JIT compiler keeps one of the two cores busy for the first half minute or so: warm up past it
run "warm-up (batches of 100)" env BATCH_SIZE=100 wrk -t1 -c16 -d"${WARMUP:-30}s"
run "warm-up (single events)" env BATCH_SIZE=1 wrk -t1 -c64 -d10s
run "batches of 100, 32 connections" env BATCH_SIZE=100 wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
run "single events, 64 connections" env BATCH_SIZE=1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s"
# a request holds a server thread until its group is on disk: 256 clients need 256 threads
run "single events, 256 connections" env BATCH_SIZE=1 wrk -t1 -c256 -d"${SECONDS_PER_RUN}s"
# paced: 32 connections each waiting DELAY_MS between batches (default 60 ms: ≈50,000 events/s, about half of the peak)
run "batches of 100, paced (DELAY_MS=${DELAY_MS:-60})" env BATCH_SIZE=100 DELAY_MS="${DELAY_MS:-60}" wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
run "single events, paced (DELAY_MS=${SINGLE_DELAY_MS:-10})" env BATCH_SIZE=1 DELAY_MS="${SINGLE_DELAY_MS:-10}" wrk -t1 -c32 -d"${SECONDS_PER_RUN}s"
drain
printf '%-40s ' "visibility under paced batch load"
( BATCH_SIZE=100 DELAY_MS="${DELAY_MS:-60}" WRITE_KEY=$KEY wrk -t1 -c32 -d40s -s bench/tracking.lua "$TRACK" >/dev/null & )
sleep 3
visibility 10
# Soak (SOAK_SECONDS, e.g. 600): paced batches of 100 for that long, heap sampled every 15 s
if [ "${SOAK_SECONDS:-0}" -gt 0 ]; then
  drain
  printf '%-40s ' "soak, batches of 100, paced, ${SOAK_SECONDS}s"
  WRITE_KEY=$KEY BATCH_SIZE=100 DELAY_MS="${SOAK_DELAY_MS:-20}" wrk -t1 -c32 -d"${SOAK_SECONDS}s" -s bench/tracking.lua "$TRACK" > "$DATA/soak.txt" &
  WRK=$!
  MAX=0
  while kill -0 $WRK 2>/dev/null; do
    USED=$(python3 -c "print(int(float('$(metric 'jvm.memory.used?tag=area:heap')')))")
    [ "$USED" -gt "$MAX" ] && MAX=$USED
    sleep 15
  done
  wait $WRK || true
  tail -1 "$DATA/soak.txt"
  echo "heap used, highest sample during the soak: $((MAX / 1048576)) MiB of -Xmx$HEAP"
fi
drain
echo "accepted: $(metric flywheel.ingest.accepted)  stored: $(metric flywheel.ingest.stored)  duplicates: $(metric flywheel.ingest.duplicates)  heap used at end: $(metric 'jvm.memory.used?tag=area:heap') bytes"
