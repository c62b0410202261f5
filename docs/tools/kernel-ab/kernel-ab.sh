#!/usr/bin/env bash
# A/B of two builds of the model classes in ONE JVM, their timed rounds interleaved (100 ms each,
# the order flipping every round), so that the drift of this shared machine touches both alike.
# Each build gets its own class loader; the workload is the benchmark's single-event loop (1024
# keys in a seeded random order, LstmForecaster.step). Prints medians, ranges and the median of
# the per-round ratios B/A. An A/A run (same directory twice) shows the harness's own spread.
#
#   cp -r model/target/classes /tmp/before      # build A, before the change
#   ... change, then: mvn -B -q -o -DskipTests package
#   docs/tools/kernel-ab/kernel-ab.sh /tmp/before model/target/classes LSTM 64 24 30
#
# AB_OPTS adds JVM options (system properties of an experimental build, for instance).
set -euo pipefail
[[ $# -eq 6 ]] || { echo "usage: kernel-ab.sh CLASSES_A CLASSES_B CELL HIDDEN HORIZON ROUNDS" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
A="$(cd "$1" && pwd)"; B="$(cd "$2" && pwd)"
cd "$ROOT"
LIBS="$(ls jobs/target/lib/*.jar | grep -v forecaster-model | tr '\n' ':')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -nowarn -d "$WORK/workload" --add-modules jdk.incubator.vector \
  -cp "model/target/classes:model/target/test-classes:$LIBS" docs/tools/kernel-ab/AbWorkload.java 2>/dev/null
javac -nowarn -d "$WORK/main" docs/tools/kernel-ab/KernelAb.java
java -Xmx2g ${AB_OPTS:-} --add-modules jdk.incubator.vector -XX:+UseG1GC \
  -Dab.extra="model/target/test-classes:$WORK/workload" \
  -cp "$WORK/main:$LIBS" KernelAb "$A" "$B" "$3" "$4" "$5" "$6" 2>&1 | grep -v -i "warning\|INFO"
