#!/usr/bin/env bash
# Query benchmark (issue #4): Flywheel's analytics against hand-written DuckDB SQL on a data set made
# by generate-demo. Stop any server using the data directory first.
#   bench/queries.sh DATA_DIR [PROJECT_ID] [END_DATE] [THREADS] [TIME_INDEX_ENTRIES]
# (TIME_INDEX_ENTRIES: 0 answers every query in SQL; default: a quarter of the heap, HEAP defaults to 4g)
# e.g. java -jar target/flywheel.jar generate-demo --persons 200000 --events 10000000 --data-dir ./bench-10m
#      bench/queries.sh ./bench-10m 1
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/queries.sh DATA_DIR [PROJECT_ID] [END_DATE] [THREADS]" >&2; exit 2; }
mvn -q -B -ntp -DskipTests test-compile
CP=$(mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -Xmx${HEAP:-4g} -cp "target/test-classes:target/classes:$CP" io.flywheel.events.internal.QueryBenchmark "$@"
