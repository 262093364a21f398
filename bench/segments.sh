#!/usr/bin/env bash
# Segment benchmark (issue #5): person-set conditions and refreshes on data sets made by generate-demo.
# The large data directory is written to (segment members); the small one is opened read-only.
#   bench/segments.sh LARGE_DATA_DIR SMALL_DATA_DIR [END_DATE] [THREADS] [PARTS]
# e.g. bench/segments.sh ./bench-100m ./bench-10m 2026-11-23 2 abc
# HEAP (default 2g) sizes the time index (a quarter of it; HEAP=10g holds 100M events); JAVA_OPTS=-DtimeIndexEntries=0 turns it off.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/segments.sh LARGE_DATA_DIR SMALL_DATA_DIR [END_DATE] [THREADS] [PARTS]" >&2; exit 2; }
mvn -q -B -ntp -o -DskipTests test-compile
CP=$(mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -Xmx${HEAP:-2g} ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$CP" io.flywheel.events.internal.PersonSetsBenchmark "$@"
