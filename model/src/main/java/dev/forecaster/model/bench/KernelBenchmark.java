package dev.forecaster.model.bench;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.train.TrainingOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Per-event cost of the step kernels against DL4J and against the arithmetic bound of the machine,
 * in one run (the {@code bench kernel} command): the LSTM at every width of the settings, and each
 * cell type (LSTM, GRU, Elman RNN) at the report width.
 *
 * <p>Every figure is the median over several timed rounds, after a warm-up that lets C2 compile
 * the loop. Keys arrive in a seeded random order over {@code keys} states, so each event loads a
 * different key's h and c, as a keyed Flink operator does.
 *
 * <p>The FLOP bound divides the FLOPs of one step ({@link #flopsPerStep}) by the single-core
 * float rate that ND4J's sgemm reaches on this machine in the same run: a step cannot be faster
 * than its arithmetic at that rate, so {@code ratio_to_bound} says how far the kernel is from it.
 * Each kernel figure's bound comes from sgemm calls interleaved with its own timed rounds (one
 * after each round), because the rate a shared machine gives one core drifts by up to 2× within
 * seconds: a bound taken at other moments of the run would mostly measure the drift.
 *
 * <p>Results go to {@code out}, progress to {@code err}.
 */
public final class KernelBenchmark {

    /**
     * @param hiddenSizes widths to time the kernel at (1 layer, {@code nIn} 1)
     * @param reportHidden the width of the DL4J comparison, of the per-cell lines and of the last
     *     line; one of hiddenSizes
     * @param keys states the events rotate over
     * @param batch keys per {@code stepBatch} call (and DL4J minibatch); divides {@code keys}
     * @param warmup untimed running before each kernel measurement
     * @param round length of one timed kernel round
     * @param dl4jEvents events per timed DL4J per-event round (also its warm-up)
     * @param dl4jBatchCalls minibatch calls per timed DL4J batch round (also its warm-up)
     * @param gemmSize n of the n×n×n sgemm
     * @param gemmRounds sgemm rounds at each of its sample points (start, after each width, end);
     *     one more call follows each timed kernel round
     */
    public record Settings(List<Integer> hiddenSizes, int reportHidden, int horizon, int keys, int batch,
            Duration warmup, Duration round, int rounds, int dl4jEvents, int dl4jBatchCalls, int dl4jRounds,
            int gemmSize, int gemmRounds, long seed) {

        public Settings {
            hiddenSizes = List.copyOf(hiddenSizes);
            if (!hiddenSizes.contains(reportHidden)) {
                throw new IllegalArgumentException("reportHidden " + reportHidden + " is not among " + hiddenSizes);
            }
            if (batch < 1 || keys < batch || keys % batch != 0) {
                throw new IllegalArgumentException("batch " + batch + " must divide keys " + keys);
            }
            if (rounds < 1 || dl4jRounds < 1 || gemmRounds < 1 || dl4jEvents < 1 || dl4jBatchCalls < 1) {
                throw new IllegalArgumentException("rounds and event counts must be positive");
            }
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(round, "round");
        }

        /** The configuration: about 50 s on a 2-core machine. */
        public static Settings defaults() {
            return new Settings(List.of(32, 64, 128), 64, 24, 1024, 256, Duration.ofMillis(1000),
                    Duration.ofMillis(100), 15, 200, 10, 7, 1024, 4, 42L);
        }

        /** Seconds instead of tens of them, for smoke tests; the figures mean little. */
        public static Settings quick() {
            return new Settings(List.of(8), 8, 4, 16, 8, Duration.ofMillis(20), Duration.ofMillis(5), 3,
                    3, 2, 3, 64, 3, 42L);
        }
    }

    /** One width's kernel figures; ns are per event, ranges are min..max over rounds. */
    public record StepFigures(int hidden, long flops, Stats single, Stats batch, double flopBoundNs) {}

    /** One cell type's figures at the report width: kernel as in {@link StepFigures}, and DL4J per event. */
    public record CellFigures(CellType cell, StepFigures kernel, Stats dl4jPerEvent) {}

    /** Median and range of per-round figures. */
    public record Stats(double median, double min, double max) {
        static Stats of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Stats(median, v[0], v[n - 1]);
        }

        String range() {
            return fmt(min) + ".." + fmt(max);
        }
    }

    public record Summary(String kernel, Stats gflops, List<StepFigures> steps, Stats dl4jPerEventNs,
            Stats dl4jBatchNs, List<CellFigures> cells, String lastLine) {}

    /** Guards against the JIT discarding the work: every output feeds it. */
    private static volatile double sink;

    private final Settings settings;

    public KernelBenchmark(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * FLOPs of one step of a {@code layers}-layer LSTM: per layer 2·(nIn+H)·4H for the gate
     * matrix-vector products, 4H bias additions and 4H for the cell update (f·c, i·a, their sum,
     * o·tanh(c)); then 2·H·horizon + horizon for the head. The 5H transcendental activations per
     * layer are not counted, so the bound is optimistic.
     */
    public static long flopsPerStep(int nIn, int hidden, int layers, int horizon) {
        return flopsPerStep(CellType.LSTM, nIn, hidden, layers, horizon);
    }

    /**
     * FLOPs of one step of {@code cell} layers: per layer 2·(nIn+H)·B·H for the matrix-vector
     * products (B blocks: 4 LSTM, 3 GRU, 1 RNN) and B·H bias additions, then the element-wise update
     * (LSTM 4H as above; GRU 4H: r∘h, h - n, z·(h - n), + n; RNN none), and the head as above.
     * Activations are not counted.
     */
    public static long flopsPerStep(CellType cell, int nIn, int hidden, int layers, int horizon) {
        long blocks = cell.blocks();
        long update = switch (cell) {
            case LSTM, GRU -> 4L * hidden;
            case RNN -> 0;
        };
        long flops = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? nIn : hidden;
            flops += 2L * (in + hidden) * blocks * hidden + blocks * hidden + update;
        }
        return flops + 2L * hidden * horizon + horizon;
    }

    public Summary run(PrintWriter out, PrintWriter err) {
        Settings s = settings;
        Random random = new Random(s.seed());
        float[] values = new float[1 << 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        int[] keyOrder = new int[1 << 16];
        for (int i = 0; i < keyOrder.length; i++) {
            keyOrder[i] = random.nextInt(s.keys());
        }

        progress(err, "building DL4J networks and kernels");
        Map<Integer, MultiLayerNetwork> nets = new HashMap<>();
        Map<Integer, LstmForecaster> models = new HashMap<>();
        for (int hidden : s.hiddenSizes()) {
            ModelSpec spec = ModelSpec.lstm(hidden, 1, s.horizon());
            MultiLayerNetwork net = Dl4jModels.build(spec, s.seed(), TrainingOptions.defaults());
            nets.put(hidden, net);
            models.put(hidden, LstmForecaster.fromSnapshot(
                    Dl4jModels.toSnapshot(net, spec, "bench", 1L, null, null)));
        }
        String kernel = models.get(s.reportHidden()).kernelDescription();
        out.printf(Locale.ROOT, "# kernel benchmark: %s kernel; Java %s; %d CPUs (%s); LSTM 1 layer, nIn 1, horizon %d;"
                        + " %d keys in random order, batch %d; medians of timed rounds, ranges min..max%n",
                kernel, Runtime.version(), Runtime.getRuntime().availableProcessors(), CpuDescription.describe(),
                s.horizon(), s.keys(), s.batch());
        out.flush();

        // sgemm is sampled at the start, between the kernel sizes and at the end for the sgemm line;
        // the bounds use the calls paired with each figure's own rounds.
        Gemm gemm = new Gemm(err);
        gemm.sample();

        // Both kernel paths once on the smallest model first: C2 compiles the Vector API methods
        // (until then they run thousands of times slower) before any figure is taken.
        int smallest = s.hiddenSizes().stream().min(Integer::compare).orElseThrow();
        progress(err, "warming up the kernel (JIT)");
        singleEvents(models.get(smallest), values, keyOrder, null);
        batches(models.get(smallest), values, random, null);

        Map<Integer, Timing[]> timings = new HashMap<>();
        for (int hidden : s.hiddenSizes()) {
            LstmForecaster model = models.get(hidden);
            progress(err, "kernel H=" + hidden + ", one event at a time");
            Timing single = singleEvents(model, values, keyOrder, gemm);
            progress(err, "kernel H=" + hidden + ", batches of " + s.batch());
            Timing batched = batches(model, values, random, gemm);
            timings.put(hidden, new Timing[] {single, batched});
            gemm.sample();
        }

        MultiLayerNetwork net = nets.get(s.reportHidden());
        progress(err, "DL4J H=" + s.reportHidden() + ", rnnTimeStep per event with a state swap");
        Stats dl4jEvent = dl4jPerEvent(net, values, keyOrder);
        progress(err, "DL4J H=" + s.reportHidden() + ", rnnTimeStep on minibatches of " + s.batch());
        Stats dl4jBatch = dl4jBatches(net, values);
        gemm.sample();

        // The other cells at the report width, each against DL4J's per-event serving.
        Map<CellType, Timing[]> cellTimings = new EnumMap<>(CellType.class);
        Map<CellType, Stats> cellDl4j = new EnumMap<>(CellType.class);
        cellTimings.put(CellType.LSTM, timings.get(s.reportHidden()));
        cellDl4j.put(CellType.LSTM, dl4jEvent);
        for (CellType cell : CellType.values()) {
            if (cell == CellType.LSTM) {
                continue;
            }
            ModelSpec spec = ModelSpec.of(cell, s.reportHidden(), 1, s.horizon());
            MultiLayerNetwork cellNet = Dl4jModels.build(spec, s.seed(),
                    TrainingOptions.builder().cellType(cell).build());
            LstmForecaster model = LstmForecaster.fromSnapshot(
                    Dl4jModels.toSnapshot(cellNet, spec, "bench", 1L, null, null));
            progress(err, cell + " kernel H=" + s.reportHidden() + ", one event at a time");
            Timing single = singleEvents(model, values, keyOrder, gemm);
            progress(err, cell + " kernel H=" + s.reportHidden() + ", batches of " + s.batch());
            Timing batched = batches(model, values, random, gemm);
            progress(err, cell + " DL4J H=" + s.reportHidden() + ", rnnTimeStep per event with a state swap");
            cellDl4j.put(cell, dl4jPerEvent(cellNet, values, keyOrder));
            cellTimings.put(cell, new Timing[] {single, batched});
        }
        // The LSTM with the Gaussian head a served model may have: twice the head's outputs, and an
        // exp for each spread. Kernel only; the DL4J comparison stays with the point head.
        ModelSpec gaussianSpec = ModelSpec.lstm(s.reportHidden(), 1, s.horizon()).withHead(HeadKind.GAUSSIAN);
        LstmForecaster gaussian = LstmForecaster.fromSnapshot(Dl4jModels.toSnapshot(
                Dl4jModels.build(gaussianSpec, s.seed(), TrainingOptions.defaults()), gaussianSpec, "bench", 1L, null, null));
        progress(err, "LSTM kernel H=" + s.reportHidden() + ", Gaussian head, one event at a time");
        Timing gaussianSingle = singleEvents(gaussian, values, keyOrder, gemm);
        progress(err, "LSTM kernel H=" + s.reportHidden() + ", Gaussian head, batches of " + s.batch());
        Timing gaussianBatched = batches(gaussian, values, random, gemm);
        gemm.sample();

        Stats gflops = Stats.of(gemm.gflops.stream().mapToDouble(Double::doubleValue).toArray());
        out.printf(Locale.ROOT, "sgemm n=%d nd4j_blas_threads=%d OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s"
                        + " gflops=%s range=%s samples=%d%n",
                s.gemmSize(), Nd4j.factory().blas().getMaxThreads(), System.getenv("OMP_NUM_THREADS"),
                System.getenv("OPENBLAS_CORETYPE"), fmt(gflops.median()), gflops.range(), gemm.gflops.size());
        List<StepFigures> steps = new ArrayList<>();
        for (int hidden : s.hiddenSizes()) {
            Stats single = timings.get(hidden)[0].ns();
            Stats batched = timings.get(hidden)[1].ns();
            long flops = flopsPerStep(1, hidden, 1, s.horizon());
            double boundNs = flops / Timing.pairedGflops(timings.get(hidden)).median();
            steps.add(new StepFigures(hidden, flops, single, batched, boundNs));
            out.printf(Locale.ROOT, "step H=%d flop_per_step=%d single_ns_per_event=%s single_range=%s"
                            + " batch_ns_per_event=%s batch_range=%s flop_bound_ns=%s single_ratio=%s batch_ratio=%s%n",
                    hidden, flops, fmt(single.median()), single.range(), fmt(batched.median()), batched.range(),
                    fmt(boundNs), fmt(single.median() / boundNs), fmt(batched.median() / boundNs));
        }
        StepFigures report = steps.stream().filter(f -> f.hidden() == s.reportHidden()).findFirst().orElseThrow();
        out.printf(Locale.ROOT, "dl4j H=%d per_event_ns=%s per_event_range=%s batch%d_ns_per_event=%s batch_range=%s"
                        + " kernel_batch_speedup_vs_dl4j_batch=%s kernel_batch_speedup_vs_dl4j_per_event=%s%n",
                s.reportHidden(), fmt(dl4jEvent.median()), dl4jEvent.range(), s.batch(), fmt(dl4jBatch.median()),
                dl4jBatch.range(), fmt(dl4jBatch.median() / report.batch().median()),
                fmt(dl4jEvent.median() / report.batch().median()));

        List<CellFigures> cells = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            Timing[] timing = cellTimings.get(cell);
            Stats[] t = {timing[0].ns(), timing[1].ns(), cellDl4j.get(cell)};
            long flops = flopsPerStep(cell, 1, s.reportHidden(), 1, s.horizon());
            double boundNs = flops / Timing.pairedGflops(timing).median();
            cells.add(new CellFigures(cell, new StepFigures(s.reportHidden(), flops, t[0], t[1], boundNs), t[2]));
            out.printf(Locale.ROOT, "cell=%s H=%d flop_per_step=%d single_ns_per_event=%s single_range=%s"
                            + " batch_ns_per_event=%s batch_range=%s flop_bound_ns=%s single_ratio=%s batch_ratio=%s"
                            + " dl4j_per_event_ns=%s speedup_vs_dl4j_per_event=%s%n",
                    cell, s.reportHidden(), flops, fmt(t[0].median()), t[0].range(), fmt(t[1].median()), t[1].range(),
                    fmt(boundNs), fmt(t[0].median() / boundNs), fmt(t[1].median() / boundNs), fmt(t[2].median()),
                    fmt(t[2].median() / t[0].median()));
        }

        long gaussianFlops = flopsPerStep(CellType.LSTM, 1, s.reportHidden(), 1, gaussianSpec.outputs());
        double gaussianBoundNs = gaussianFlops / Timing.pairedGflops(gaussianSingle, gaussianBatched).median();
        Stats gs = gaussianSingle.ns();
        Stats gb = gaussianBatched.ns();
        out.printf(Locale.ROOT, "head=GAUSSIAN cell=LSTM H=%d flop_per_step=%d single_ns_per_event=%s single_range=%s"
                        + " batch_ns_per_event=%s batch_range=%s flop_bound_ns=%s single_ratio=%s batch_ratio=%s%n",
                s.reportHidden(), gaussianFlops, fmt(gs.median()), gs.range(), fmt(gb.median()), gb.range(),
                fmt(gaussianBoundNs), fmt(gs.median() / gaussianBoundNs), fmt(gb.median() / gaussianBoundNs));

        String last = String.format(Locale.ROOT,
                "kernel H=%d ns_per_event=%s flop_bound_ns=%s ratio_to_bound=%s speedup_vs_dl4j_per_event=%s",
                s.reportHidden(), fmt(report.single().median()), fmt(report.flopBoundNs()),
                fmt(report.single().median() / report.flopBoundNs()),
                fmt(dl4jEvent.median() / report.single().median()));
        out.println(last);
        out.flush();
        progress(err, "done");
        return new Summary(kernel, gflops, steps, dl4jEvent, dl4jBatch, cells, last);
    }

    /**
     * A kernel figure: ns per event of each timed round, and the sgemm rate measured right after
     * each round (empty when no sgemm was paired).
     */
    private record Timing(Stats ns, double[] gflops) {

        /** The sgemm samples of several figures taken together, e.g. one width's two paths. */
        static Stats pairedGflops(Timing... timings) {
            return Stats.of(Arrays.stream(timings).flatMapToDouble(t -> Arrays.stream(t.gflops())).toArray());
        }
    }

    /** Times {@code iterations} repetitions of something, returning elapsed nanoseconds. */
    @FunctionalInterface
    private interface Workload {
        long run(long iterations);
    }

    /**
     * Warms up for at least {@link Settings#warmup}, and on while the loop keeps getting faster (the
     * first calls of Vector API code run interpreted, thousands of times slower, and C2 takes a
     * while to get to them), re-sizing the runs as it speeds up; then returns ns per unit of each
     * timed round, an iteration being {@code units} units. With a {@code gemm}, one sgemm call
     * follows each timed round, its rate being the round's bound sample.
     */
    private Timing timedRounds(Workload work, double units, Gemm gemm) {
        long roundNs = settings.round().toNanos();
        long start = System.nanoTime();
        long minEnd = start + settings.warmup().toNanos();
        long maxEnd = start + 10 * settings.warmup().toNanos();
        long iterations = 1;
        double best = Double.MAX_VALUE;
        double nsPerIteration;
        int stale = 0;
        do {
            nsPerIteration = (double) Math.max(1, work.run(iterations)) / iterations;
            boolean afterMinimum = System.nanoTime() >= minEnd;
            // After the minimum, runs of half a round, so that noise alone rarely looks like a gain;
            // three runs in a row without a 10% gain end the warm-up.
            stale = afterMinimum && nsPerIteration >= 0.9 * best ? stale + 1 : 0;
            best = Math.min(best, nsPerIteration);
            iterations = Math.max(1, (long) (roundNs / (afterMinimum ? 2.0 : 10.0) / nsPerIteration));
        } while (System.nanoTime() < minEnd || stale < 3 && System.nanoTime() < maxEnd);
        long perRound = Math.max(1, (long) (roundNs / nsPerIteration));
        double[] ns = new double[settings.rounds()];
        double[] gflops = new double[gemm == null ? 0 : ns.length];
        for (int r = 0; r < ns.length; r++) {
            ns[r] = work.run(perRound) / (perRound * units);
            if (gemm != null) {
                gflops[r] = gemm.once();
            }
        }
        return new Timing(Stats.of(ns), gflops);
    }

    /** One untimed round, then {@code rounds} timed ones of {@code iterations} each. */
    private static double[] fixedRounds(Workload work, long iterations, int rounds, double units) {
        work.run(iterations);
        double[] ns = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ns[r] = work.run(iterations) / (iterations * units);
        }
        return ns;
    }

    private Timing singleEvents(LstmForecaster model, float[] values, int[] keyOrder, Gemm gemm) {
        RecurrentState[] states = states(model);
        float[] in = new float[1];
        float[] out = new float[model.spec().outputs()];
        int[] cursor = {0};
        return timedRounds(n -> {
            int c = cursor[0];
            double acc = 0;
            long t0 = System.nanoTime();
            for (long e = 0; e < n; e++, c++) {
                in[0] = values[c & (values.length - 1)];
                model.step(states[keyOrder[c & (keyOrder.length - 1)]], in, out);
                acc += out[0];
            }
            long t1 = System.nanoTime();
            cursor[0] = c;
            sink += acc;
            return t1 - t0;
        }, 1, gemm);
    }

    private Timing batches(LstmForecaster model, float[] values, Random random, Gemm gemm) {
        int batch = settings.batch();
        RecurrentState[] all = states(model);
        List<RecurrentState> shuffled = new ArrayList<>(Arrays.asList(all));
        Collections.shuffle(shuffled, random);
        int groups = settings.keys() / batch;
        RecurrentState[][] group = new RecurrentState[groups][];
        for (int g = 0; g < groups; g++) {
            group[g] = shuffled.subList(g * batch, (g + 1) * batch).toArray(new RecurrentState[0]);
        }
        float[][] inputs = new float[batch][1];
        float[][] outs = new float[batch][model.spec().outputs()];
        int[] cursor = {0};
        return timedRounds(n -> {
            int c = cursor[0];
            double acc = 0;
            long t0 = System.nanoTime();
            for (long call = 0; call < n; call++) {
                for (int k = 0; k < batch; k++, c++) {
                    inputs[k][0] = values[c & (values.length - 1)];
                }
                model.stepBatch(group[(int) (call % groups)], inputs, outs);
                acc += outs[0][0];
            }
            long t1 = System.nanoTime();
            cursor[0] = c;
            sink += acc;
            return t1 - t0;
        }, batch, gemm);
    }

    private RecurrentState[] states(LstmForecaster model) {
        RecurrentState[] states = new RecurrentState[settings.keys()];
        for (int k = 0; k < states.length; k++) {
            states[k] = model.newState();
        }
        return states;
    }

    /**
     * DL4J's way to serve many keys from one network: restore the key's stored state, step, save
     * the state back. Input arrays are created per event, as an operator would.
     */
    private Stats dl4jPerEvent(MultiLayerNetwork net, float[] values, int[] keyOrder) {
        List<Map<String, INDArray>> saved = new ArrayList<>(settings.keys());
        for (int k = 0; k < settings.keys(); k++) {
            saved.add(new HashMap<>());
        }
        net.rnnClearPreviousState();
        int[] cursor = {0};
        double[] ns = fixedRounds(n -> {
            int c = cursor[0];
            double acc = 0;
            long t0 = System.nanoTime();
            for (long e = 0; e < n; e++, c++) {
                int key = keyOrder[c & (keyOrder.length - 1)];
                net.rnnSetPreviousState(0, saved.get(key));
                INDArray x = Nd4j.create(new float[] {values[c & (values.length - 1)]}, new long[] {1, 1, 1}, 'c');
                INDArray y = net.rnnTimeStep(x);
                saved.set(key, net.rnnGetPreviousState(0));
                acc += y.getFloat(0);
            }
            long t1 = System.nanoTime();
            cursor[0] = c;
            sink += acc;
            return t1 - t0;
        }, settings.dl4jEvents(), settings.dl4jRounds(), 1);
        return Stats.of(ns);
    }

    /** One rnnTimeStep over a minibatch of keys whose state stays in the network. */
    private Stats dl4jBatches(MultiLayerNetwork net, float[] values) {
        int batch = settings.batch();
        net.rnnClearPreviousState();
        float[] x = new float[batch];
        int[] cursor = {0};
        double[] ns = fixedRounds(n -> {
            int c = cursor[0];
            double acc = 0;
            long t0 = System.nanoTime();
            for (long call = 0; call < n; call++) {
                for (int k = 0; k < batch; k++, c++) {
                    x[k] = values[c & (values.length - 1)];
                }
                INDArray y = net.rnnTimeStep(Nd4j.create(x, new long[] {batch, 1, 1}, 'c'));
                acc += y.getFloat(0);
            }
            long t1 = System.nanoTime();
            cursor[0] = c;
            sink += acc;
            net.rnnClearPreviousState();
            return t1 - t0;
        }, settings.dl4jBatchCalls(), settings.dl4jRounds(), batch);
        net.rnnClearPreviousState();
        return Stats.of(ns);
    }

    /** Single-threaded sgemm rate in GFLOP/s (= FLOP per ns), sampled at several points of a run. */
    private final class Gemm {
        final List<Double> gflops = new ArrayList<>();
        private final PrintWriter err;
        private INDArray a;
        private INDArray b;
        private INDArray c;

        Gemm(PrintWriter err) {
            this.err = err;
        }

        void sample() {
            int n = settings.gemmSize();
            if (a == null) {
                if (System.getenv("OPENBLAS_CORETYPE") == null) {
                    // OpenBLAS 0.3.19, bundled with ND4J, falls back to a generic kernel on CPUs newer
                    // than itself (Sapphire Rapids measured 5-8x slower), which would understate the bound.
                    progress(err, "note: OPENBLAS_CORETYPE is unset; if OpenBLAS does not know this CPU, sgemm"
                            + " and the FLOP bound are understated (bin/forecaster bench sets it from the CPU flags)");
                }
                // OMP_NUM_THREADS=1 (set by bin/forecaster and the build) covers OpenMP; this covers BLAS.
                Nd4j.factory().blas().setMaxThreads(1);
                a = Nd4j.rand(DataType.FLOAT, n, n);
                b = Nd4j.rand(DataType.FLOAT, n, n);
                c = Nd4j.zeros(DataType.FLOAT, n, n);
            }
            progress(err, "ND4J sgemm " + n + "^3 on one thread");
            double[] ns = fixedRounds(this::time, Math.max(1, 1_000_000_000L / (long) flops()),
                    settings.gemmRounds(), 1);
            for (double v : ns) {
                gflops.add(flops() / v);
            }
        }

        /** One sgemm call (after at least one {@link #sample}): its GFLOP/s, also kept in {@link #gflops}. */
        double once() {
            double rate = flops() / Math.max(1, time(1));
            gflops.add(rate);
            return rate;
        }

        /** Nanoseconds for {@code iterations} sgemm calls. */
        private long time(long iterations) {
            long t0 = System.nanoTime();
            for (long i = 0; i < iterations; i++) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
            long t1 = System.nanoTime();
            sink += c.getFloat(0);
            return t1 - t0;
        }

        private double flops() {
            double n = settings.gemmSize();
            return 2.0 * n * n * n;
        }
    }

    private static void progress(PrintWriter err, String message) {
        err.println("[bench kernel] " + message);
        err.flush();
    }

    /** Three significant digits or at least one decimal: readable and stable to parse. */
    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
