#!/usr/bin/env bash
# What each part of the single-event LSTM step costs in context: builds a copy of VectorLstmKernel
# (AblLstmKernel, in a temporary directory) whose head, cell update and gate exps can each be left
# out by a system property, then times the benchmark's single-event loop (H = 64, horizon 24, 1024
# keys in a seeded random order) with all parts, without the head, without head and cell update,
# and with the matrix-vector product alone. Each variant runs in its own JVM, RUNS times in turn.
# Left-out parts leave wrong numbers behind, so only the times mean anything.
#
#   mvn -B -q -o -DskipTests package && docs/tools/kernel-ablation/kernel-ablation.sh 2
set -euo pipefail
RUNS="${1:-2}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
LIBS="$(ls jobs/target/lib/*.jar | grep -v forecaster-model | tr '\n' ':')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/AblLstmKernel.java" <<'PY'
import sys
s = open('model/src/main/java/dev/forecaster/model/kernel/VectorLstmKernel.java').read()
def rep(old, new):
    global s
    if old not in s:
        sys.exit('kernel-ablation: VectorLstmKernel changed; update the patterns in this script: ' + old.strip()[:60])
    s = s.replace(old, new, 1)
rep('final class VectorLstmKernel implements StepKernel', 'public final class AblLstmKernel implements StepKernel')
rep('    VectorLstmKernel(CellWeights weights)',
    '    static final boolean HEAD = !Boolean.getBoolean("abl.nohead");\n'
    '    static final boolean ACT = !Boolean.getBoolean("abl.noact");\n'
    '    static final boolean DEN = !Boolean.getBoolean("abl.noden");\n'
    '    public AblLstmKernel(CellWeights weights)')
rep('            VectorPanels.multiplyDenominators(packed[l], b.array(), b.offset(), panels, inputs + hidden, xh, z, z0,'
    ' reverse);\n',
    '            if (DEN) VectorPanels.multiplyDenominators(packed[l], b.array(), b.offset(), panels, inputs + hidden,'
    ' xh, z, z0, reverse);\n'
    '            else VectorPanels.multiply(packed[l], b.array(), b.offset(), panels, inputs + hidden, xh, z, z0,'
    ' reverse);\n')
rep('                activateOne(h, state.c[l]);\n',
    '                if (ACT) activateOne(h, state.c[l]); else h[3] = z[5] * 1e-3f;\n')
rep('        head.apply(state.h[layers - 1], out);\n',
    '        if (HEAD) head.apply(state.h[layers - 1], out); else out[0] = state.h[layers - 1][7];\n')
open(sys.argv[1], 'w').write(s)
PY
javac -nowarn -d "$WORK/out" --add-modules jdk.incubator.vector -cp "model/target/classes:model/target/test-classes:$LIBS" \
  "$WORK/AblLstmKernel.java" docs/tools/kernel-ablation/AblRun.java 2>/dev/null
for r in $(seq "$RUNS"); do
  for flags in "" "-Dabl.nohead=true" "-Dabl.nohead=true -Dabl.noact=true" "-Dabl.nohead=true -Dabl.noact=true -Dabl.noden=true"; do
    # shellcheck disable=SC2086
    java --add-modules jdk.incubator.vector -XX:+UseG1GC $flags \
      -cp "$WORK/out:model/target/classes:model/target/test-classes:$LIBS" dev.forecaster.model.kernel.AblRun "${flags:-all parts}" 2>&1 | grep median
  done
done
