#!/usr/bin/env bash
# CSV import benchmark (issue #5): starts Flywheel on a fresh data directory, creates a project and
# imports a generated file of N persons (user id, name, city, age as a number, vip as a boolean,
# sign-up date) RUNS times through POST /api/v1/projects/{id}/persons/imports, each run with new
# user ids. For each run it prints: the time until the API answered 202 (upload, encoding check
# and validation of every row), the time from start until every row was durable, and until every
# row was visible in the event store (from the job's startedAt, durableAt and finishedAt).
#   bench/import.sh [ROWS] [RUNS]        (default 100000 rows, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
RUNS=${2:-3}
PORT=${PORT:-18081}
HEAP=${HEAP:-2g}
DATA=$(mktemp -d /tmp/flywheel-import-XXXX)
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
BASE="http://127.0.0.1:$PORT/api/v1/projects"
PROJECT=$(curl -sf -u admin:bench-password -H 'Content-Type: application/json' -d '{"name":"Import bench"}' "$BASE" \
  | sed 's/.*"id":\([0-9]*\).*/\1/')
echo "rows: $ROWS, heap: -Xmx$HEAP, cores: $(nproc)"
printf '%-4s %12s %12s %12s %10s\n' run "202 (s)" "durable (s)" "visible (s)" "file (MB)"
for run in $(seq 1 "$RUNS"); do
  FILE="$DATA/people-$run.csv"
  awk -v rows="$ROWS" -v run="$run" 'BEGIN {
    split("上海,北京,广州,深圳,杭州,成都,武汉,南京", cities, ",");
    print "user_id,name,city,age,vip,signed_up";
    for (i = 1; i <= rows; i++) {
      printf "r%d-u%07d,用户%d,%s,%d,%s,2026-%02d-%02d\n", run, i, i, cities[i % 8 + 1], 18 + i % 50, (i % 7 == 0 ? "true" : "false"), i % 12 + 1, i % 28 + 1;
    }
  }' > "$FILE"
  MAPPING='{"userId":"user_id","traits":[{"column":"name"},{"column":"city"},{"column":"age","type":"number"},{"column":"vip","type":"boolean"},{"column":"signed_up","type":"date"}]}'
  START=$(date +%s.%N)
  JOB=$(curl -sf -u admin:bench-password -F "file=@$FILE;type=text/csv" -F "mapping=$MAPPING;type=application/json" "$BASE/$PROJECT/persons/imports")
  ACCEPTED=$(date +%s.%N)
  ID=$(echo "$JOB" | sed 's/.*"id":\([0-9]*\).*/\1/')
  for _ in $(seq 1 600); do
    JOB=$(curl -sf -u admin:bench-password "$BASE/$PROJECT/persons/imports/$ID")
    echo "$JOB" | grep -q '"state":"completed"' && break
    echo "$JOB" | grep -q '"state":"failed"' && { echo "import failed: $JOB" >&2; exit 1; }
    sleep 0.2
  done
  python3 - "$JOB" "$START" "$ACCEPTED" "$(stat -c %s "$FILE")" "$run" <<'PY'
import json, sys
from datetime import datetime
job = json.loads(sys.argv[1])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
started, durable, finished = t(job["startedAt"]), t(job["durableAt"]), t(job["finishedAt"])
print(f"{sys.argv[5]:<4} {float(sys.argv[3]) - float(sys.argv[2]):12.2f} {durable - started:12.2f} {finished - started:12.2f} {int(sys.argv[4]) / 1e6:10.1f}")
PY
done
TOTAL=$(curl -sf -u admin:bench-password "$BASE/$PROJECT/persons?size=1" | sed 's/.*"total":\([0-9]*\).*/\1/')
echo "persons in the project: $TOTAL"
