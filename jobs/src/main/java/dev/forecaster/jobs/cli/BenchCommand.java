package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.forecaster.jobs.bench.GraphBenchmark;
import dev.forecaster.model.bench.KernelBenchmark;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Micro-benchmarks of this build on this machine.",
        subcommands = {BenchCommand.Kernel.class, BenchCommand.Train.class, BenchCommand.Graph.class})
public final class BenchCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark (kernel, train, graph)");
    }

    @Command(
            name = "kernel",
            mixinStandardHelpOptions = true,
            description = {
                "Times the step kernels per event against DL4J and the FLOP bound.",
                "Kernel: one event at a time and in batches; LSTM at hidden sizes 32, 64,",
                "128, then one line per cell (LSTM, GRU, RNN) at 64.",
                "DL4J: rnnTimeStep per event (with a state swap) and per minibatch, at 64.",
                "Bound: step FLOPs / single-core ND4J sgemm rate, from sgemm calls made",
                "between each figure's own timed rounds.",
                "Results on stdout: first a header naming the kernel, the JVM and the",
                "processor and its caches (figures depend on the L1 size); the last line",
                "  kernel H=64 ns_per_event=... flop_bound_ns=... ratio_to_bound=...",
                "    speedup_vs_dl4j_per_event=...",
                "progress on stderr. About 50 seconds; best on an idle machine (the",
                "other CPUs too: on a shared core a busy neighbour slows the kernel).",
                "The vector kernel needs --add-modules jdk.incubator.vector, which",
                "bin/forecaster passes; -Dforecaster.kernel=scalar in FORECASTER_JAVA_OPTS",
                "times the scalar fallback instead. See docs/kernel.md."
            })
    static final class Kernel implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--rounds", description = "Timed rounds per kernel figure; the median is reported (default: 15).")
        Integer rounds;

        @Option(names = "--keys", description = "States the events rotate over (default: 1024).")
        Integer keys;

        @Option(names = "--batch", description = "Keys per batch, for the kernel and DL4J's minibatch (default: 256).")
        Integer batch;

        @Option(names = "--quick", description = "Tiny sizes and counts, to check that the benchmark runs; the figures mean nothing.")
        boolean quick;

        @Override
        public Integer call() {
            KernelBenchmark.Settings d = quick ? KernelBenchmark.Settings.quick() : KernelBenchmark.Settings.defaults();
            KernelBenchmark.Settings settings;
            try {
                settings = new KernelBenchmark.Settings(d.hiddenSizes(), d.reportHidden(), d.horizon(),
                        keys != null ? keys : d.keys(), batch != null ? batch : d.batch(), d.warmup(), d.round(),
                        rounds != null ? rounds : d.rounds(), d.dl4jEvents(), d.dl4jBatchCalls(), d.dl4jRounds(),
                        d.gemmSize(), d.gemmRounds(), d.seed());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            new KernelBenchmark(settings).run(out, err);
            return 0;
        }
    }

    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = {
                "Training throughput of the sharded workers (series*steps/s) at P=1 and P=2, one",
                "ND4J thread per worker, the scaling P2/P1, and the time from a trigger to the gated",
                "model at P=2; also CPU time per series-step of the worker threads and of the rest",
                "of the process, and the scaling that CPU time allows on this machine's cores (both",
                "independent of other load, unlike the throughputs).",
                "Last line: train P1_steps_per_s=... P2_steps_per_s=... scaling=...",
                "Progress on stderr. About a minute; best on an idle machine. See docs/model-lifecycle.md."
            })
    static final class Train implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--quick", description = "Tiny sizes, to check that the benchmark runs; the figures mean nothing.")
        boolean quick;

        @Override
        public Integer call() {
            dev.forecaster.model.bench.TrainBenchmark.Settings settings = quick
                    ? dev.forecaster.model.bench.TrainBenchmark.Settings.quick()
                    : dev.forecaster.model.bench.TrainBenchmark.Settings.defaults();
            new dev.forecaster.model.bench.TrainBenchmark(settings)
                    .run(spec.commandLine().getOut(), spec.commandLine().getErr());
            return 0;
        }
    }

    @Command(
            name = "graph",
            mixinStandardHelpOptions = true,
            description = {
                "Records per second through the forecast job's graph on one core: a Flink",
                "MiniCluster at parallelism 1, generated on-time observations, LSTM H=64 with",
                "the Gaussian head, horizon 24, scoring and alerts, heap keyed state,",
                "checkpoints every 5 s, and sinks that encode every output as the Kafka sink",
                "does, then drop it (no broker: the figure is the graph's CPU cost).",
                "One line per run (the first warms up), the last line being",
                "  graph H=64 records=... us_per_record=... records_per_s=... range_us=...",
                "    object_reuse=...",
                "with the median of the runs after the first. Progress on stderr. About a",
                "minute; best on an idle machine. See docs/throughput.md."
            })
    static final class Graph implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--records", description = "Observations per run (default: 500000).")
        Long records;

        @Option(names = "--runs", description = "Runs, the first a warm-up; at least 2 (default: 4).")
        Integer runs;

        @Option(names = "--keys", description = "Series the observations rotate over (default: 1024).")
        Integer keys;

        @Option(names = "--no-object-reuse",
                description = "Let Flink copy every record between chained operators, as it does unless a job"
                        + " enables object reuse (the forecast job does), to see what the copies cost.")
        boolean noObjectReuse;

        @Option(names = "--quick", description = "Tiny sizes, to check that the benchmark runs; the figures mean nothing.")
        boolean quick;

        @Override
        public Integer call() throws Exception {
            GraphBenchmark.Settings d = quick ? GraphBenchmark.Settings.quick() : GraphBenchmark.Settings.defaults();
            GraphBenchmark.Settings settings;
            try {
                settings = new GraphBenchmark.Settings(records != null ? records : d.records(),
                        runs != null ? runs : d.runs(), keys != null ? keys : d.keys(), d.hidden(), d.horizon(),
                        !noObjectReuse, d.seed());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            new GraphBenchmark(settings).run(spec.commandLine().getOut(), spec.commandLine().getErr());
            return 0;
        }
    }
}
