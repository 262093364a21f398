#!/usr/bin/env bash
# Lifecycle benchmark (issue #5): recompute every person's stage from scratch and again, and the
# 90-day stage history, on a data set made by generate-demo. It writes stages into the data set:
# use a copy, and stop any server using it first.
#   bench/lifecycle.sh DATA_DIR [PROJECT_ID] [NOW] [THREADS]
# e.g. bench/lifecycle.sh ./bench-100m 1 2026-11-23T16:00:00Z
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/lifecycle.sh DATA_DIR [PROJECT_ID] [NOW] [THREADS]" >&2; exit 2; }
mvn -q -B -ntp -o -DskipTests test-compile
CP=$(mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -Xmx${HEAP:-4g} -cp "target/test-classes:target/classes:$CP" io.flywheel.events.internal.LifecycleBenchmark "$@"
