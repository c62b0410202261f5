package dev.forecaster.model.bench;

import dev.forecaster.model.CellType;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's output format with tiny counts; the figures themselves are not checked. */
class KernelBenchmarkTest {

    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";

    @Test
    void quickRunPrintsEveryFigureAndTheSummaryLineLast() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        KernelBenchmark.Summary summary =
                new KernelBenchmark(KernelBenchmark.Settings.quick()).run(new PrintWriter(out), new PrintWriter(err));

        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("# kernel benchmark: "), lines.get(0));
        assertTrue(lines.get(0).contains("kernel;"), lines.get(0));
        assertTrue(lines.get(0).contains(" CPUs (cpu "), lines.get(0));
        assertLine(lines, "sgemm n=64 nd4j_blas_threads=[0-9]+ OMP_NUM_THREADS=\\S+ OPENBLAS_CORETYPE=\\S+ gflops=# range=#\\.\\.# samples=[0-9]+");
        assertLine(lines, "step H=8 flop_per_step=708 single_ns_per_event=# single_range=#\\.\\.# batch_ns_per_event=#"
                + " batch_range=#\\.\\.# flop_bound_ns=# single_ratio=# batch_ratio=#");
        assertLine(lines, "dl4j H=8 per_event_ns=# per_event_range=#\\.\\.# batch8_ns_per_event=# batch_range=#\\.\\.#"
                + " kernel_batch_speedup_vs_dl4j_batch=# kernel_batch_speedup_vs_dl4j_per_event=#");

        for (String cell : new String[] {"LSTM", "GRU", "RNN"}) {
            assertLine(lines, "cell=" + cell + " H=8 flop_per_step=[0-9]+ single_ns_per_event=# single_range=#\\.\\.#"
                    + " batch_ns_per_event=# batch_range=#\\.\\.# flop_bound_ns=# single_ratio=# batch_ratio=#"
                    + " dl4j_per_event_ns=# speedup_vs_dl4j_per_event=#");
        }
        assertEquals(3, summary.cells().size());
        // Head: 2·8·(2·4) + 8; the rest as for the point head's 708.
        assertLine(lines, "head=GAUSSIAN cell=LSTM H=8 flop_per_step=776 single_ns_per_event=# single_range=#\\.\\.#"
                + " batch_ns_per_event=# batch_range=#\\.\\.# flop_bound_ns=# single_ratio=# batch_ratio=#");

        String last = lines.get(lines.size() - 1);
        assertTrue(Pattern.matches(("kernel H=8 ns_per_event=# flop_bound_ns=# ratio_to_bound=#"
                + " speedup_vs_dl4j_per_event=#").replace("#", NUMBER), last), last);
        assertEquals(last, summary.lastLine());
        assertEquals(1, summary.steps().size());
        assertTrue(err.toString().contains("[bench kernel] done"), err.toString());
    }

    @Test
    void flopCountFollowsTheDocumentedFormula() {
        // 2·65·256 gates + 256 bias + 256 cell + 2·64·24 head + 24 head bias.
        assertEquals(36_888, KernelBenchmark.flopsPerStep(1, 64, 1, 24));
        assertEquals(2 * 65 * 256 + 512 + 2 * 128 * 256 + 512 + 2 * 64 * 24 + 24,
                KernelBenchmark.flopsPerStep(1, 64, 2, 24));
    }

    @Test
    void flopCountsOfTheOtherCells() {
        // GRU: 2·65·192 products + 192 bias + 256 update; RNN: 2·65·64 + 64; both + the head.
        int head = 2 * 64 * 24 + 24;
        assertEquals(2 * 65 * 192 + 192 + 256 + head, KernelBenchmark.flopsPerStep(CellType.GRU, 1, 64, 1, 24));
        assertEquals(2 * 65 * 64 + 64 + head, KernelBenchmark.flopsPerStep(CellType.RNN, 1, 64, 1, 24));
        assertEquals(KernelBenchmark.flopsPerStep(1, 64, 1, 24), KernelBenchmark.flopsPerStep(CellType.LSTM, 1, 64, 1, 24));
    }

    @Test
    void settingsAreChecked() {
        KernelBenchmark.Settings q = KernelBenchmark.Settings.quick();
        assertThrows(IllegalArgumentException.class, () -> new KernelBenchmark.Settings(q.hiddenSizes(), 64,
                q.horizon(), q.keys(), q.batch(), q.warmup(), q.round(), q.rounds(), q.dl4jEvents(),
                q.dl4jBatchCalls(), q.dl4jRounds(), q.gemmSize(), q.gemmRounds(), q.seed()));
        assertThrows(IllegalArgumentException.class, () -> new KernelBenchmark.Settings(q.hiddenSizes(),
                q.reportHidden(), q.horizon(), 10, 4, q.warmup(), q.round(), q.rounds(), q.dl4jEvents(),
                q.dl4jBatchCalls(), q.dl4jRounds(), q.gemmSize(), q.gemmRounds(), q.seed()));
    }

    private static void assertLine(List<String> lines, String pattern) {
        Pattern p = Pattern.compile(pattern.replace("#", NUMBER));
        assertTrue(lines.stream().anyMatch(l -> p.matcher(l).matches()), "no line like " + pattern + " in\n"
                + String.join("\n", lines));
    }
}
