package dev.forecaster.model.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.nd4j.linalg.factory.Nd4j;

import dev.forecaster.model.lifecycle.RoundOptions;
import dev.forecaster.model.lifecycle.ShardedTraining;
import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.model.lifecycle.ValidationGate;
import dev.forecaster.model.train.LstmTrainer;
import dev.forecaster.model.train.TrainingListener;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.TrainingWindow;

/**
 * Training throughput of the sharded workers at P=1 and P=2 (series x steps fitted per second,
 * one ND4J thread per worker), the scaling efficiency, and the time from a trigger to a promoted
 * model (rounds plus the gate) at P=2. Synthetic seeded sines; the same data and seed for both P.
 */
public final class TrainBenchmark {

    /** Sizes of the benchmark. */
    public record Settings(int series, int length, int hidden, int horizon, int rounds, RoundOptions round, long seed) {
        public static Settings defaults() {
            return new Settings(32, 600, 32, 8, 4, new RoundOptions(25, 16, 48, 24, 0, 3e-3, 1.0, 42L), 42L);
        }

        public static Settings quick() {
            return new Settings(4, 200, 8, 4, 1, new RoundOptions(2, 4, 24, 12, 0, 3e-3, 1.0, 42L), 42L);
        }
    }

    /** The figures. */
    public record Result(double p1StepsPerSecond, double p2StepsPerSecond, double scaling, long triggerToPromotedMillis,
            boolean promoted) {}

    private final Settings settings;

    public TrainBenchmark(Settings settings) {
        this.settings = settings;
    }

    public Result run(PrintWriter out, PrintWriter err) {
        // One thread per worker: ND4J's own thread pools would otherwise compete with the other worker.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        SplittableRandom random = new SplittableRandom(settings.seed());
        List<TrainingWindow> train = new ArrayList<>();
        List<TimedValues> heldOut = new ArrayList<>();
        List<double[]> full = new ArrayList<>();
        for (int s = 0; s < settings.series(); s++) {
            double level = 50 + 100 * random.nextDouble();
            double amplitude = 5 + 20 * random.nextDouble();
            double period = 12 + 24 * random.nextDouble();
            double[] x = new double[settings.length()];
            for (int t = 0; t < x.length; t++) {
                x[t] = level + amplitude * Math.sin(2 * Math.PI * t / period) + 0.05 * amplitude * random.nextDouble();
            }
            full.add(x);
            for (TrainingWindow w : TrainingWindows.cut("series-" + s, x, 2 * settings.round().windowLength() + 16,
                    settings.round().windowLength(), 1000, TrainingOptions.DEFAULT_SCALING_MEMORY)) {
                if (TrainingWindows.heldOut(w, 5)) {
                    heldOut.add(TrainingWindows.timed(w));
                } else {
                    train.add(w);
                }
            }
        }
        err.printf("bench train: %d series, %d training and %d held-out windows, hidden %d, %d rounds x %d batches of %d x %d steps%n",
                settings.series(), train.size(), heldOut.size(), settings.hidden(), settings.rounds(),
                settings.round().localBatches(), settings.round().batchSize(), settings.round().windowLength());
        err.flush();
        ModelSnapshot initial = new LstmTrainer().train(full, TrainingOptions.builder()
                .seed(settings.seed()).hiddenSize(settings.hidden()).horizon(settings.horizon())
                .windowLength(settings.round().windowLength()).tbpttLength(settings.round().tbpttLength())
                .batchSize(4).maxIterations(1).validationFraction(0).evaluate(false).modelName("bench").build(),
                TrainingListener.NONE);

        // Warm-up: JIT and ND4J initialisation are not training throughput. One full round at P=2:
        // with a 2-batch warm-up the C2 compiler was still taking 0.5-0.9 of a core during the P=1 run
        // (top -H), so P=1 ran partly on colder code than P=2 and the two were not comparable.
        new ShardedTraining(2, 1000, train).run(initial, 1, settings.round());

        long cpu0 = processCpuNanos();
        ShardedTraining.Outcome p1 = new ShardedTraining(1, 1000, train).run(initial, settings.rounds(), settings.round());
        long processCpu1 = processCpuNanos() - cpu0;
        double cores1 = processCpu1 / (double) p1.nanos();
        err.printf("  P=1: %d series-steps in %.2f s%n", p1.seriesSteps(), p1.nanos() / 1e9);
        err.flush();
        long triggered = System.nanoTime();
        long cpu1 = processCpuNanos();
        ShardedTraining.Outcome p2 = new ShardedTraining(2, 1000, train).run(initial, settings.rounds(), settings.round());
        long processCpu2 = processCpuNanos() - cpu1;
        double cores2 = processCpu2 / (double) p2.nanos();
        ValidationGate.Decision decision = new ValidationGate(0.0, 3.0, 24).evaluate(p2.model(), initial, heldOut);
        long triggerToPromoted = (System.nanoTime() - triggered) / 1_000_000;
        err.printf("  P=2: %d series-steps in %.2f s; gate: %s %s%n", p2.seriesSteps(), p2.nanos() / 1e9,
                decision.reason(), decision.metrics());
        err.flush();

        double s1 = p1.seriesStepsPerSecond();
        double s2 = p2.seriesStepsPerSecond();
        double scaling = s2 / s1;
        out.printf(Locale.ROOT, "P=1 throughput: %.0f series*steps/s%n", s1);
        out.printf(Locale.ROOT, "P=2 throughput: %.0f series*steps/s%n", s2);
        out.printf(Locale.ROOT, "scaling P=2/P=1: %.2f (efficiency %.0f%%)%n", scaling, 50 * scaling);
        // What the machine gave: on a shared machine P=2 cannot scale beyond the cores it obtained.
        out.printf(Locale.ROOT, "cores used (process CPU / wall): P=1 %.2f, P=2 %.2f of %d available; "
                        + "throughput per core used: P=1 %.0f, P=2 %.0f%n", cores1, cores2,
                Runtime.getRuntime().availableProcessors(), s1 / cores1, s2 / cores2);
        // CPU time per series-step does not depend on what else the machine runs, unlike wall time.
        // The workers' share is the training itself; the rest of the process (GC, ND4J's and
        // JavaCPP's deallocator threads, the JIT) grows with it. At P=1 the rest runs on the idle
        // second core; at P=2 it competes with the workers for the two cores.
        double worker1 = cpuPerKiloStep(p1.workerCpuNanos(), p1);
        double worker2 = cpuPerKiloStep(p2.workerCpuNanos(), p2);
        double other1 = cpuPerKiloStep(processCpu1 - p1.workerCpuNanos(), p1);
        double other2 = cpuPerKiloStep(processCpu2 - p2.workerCpuNanos(), p2);
        out.printf(Locale.ROOT, "CPU per 1000 series-steps: worker threads P=1 %.1f ms, P=2 %.1f ms; "
                        + "other threads (GC, deallocators, JIT) P=1 %.1f ms, P=2 %.1f ms%n",
                worker1, worker2, other1, other2);
        int cores = Runtime.getRuntime().availableProcessors();
        // P=1 runs first, sometimes on colder code (the JIT lags on a loaded machine), which
        // inflates both the measured scaling and the first bound; the second assumes a P=1 as warm
        // as P=2, with P=2's CPU time per step.
        out.printf(Locale.ROOT, "scaling this CPU time allows on %d cores: %.2f (with P=1 as warm as P=2: %.2f); "
                        + "worker threads off-CPU inside rounds (blocked or preempted) P=1 %.0f%%, P=2 %.0f%%; "
                        + "idle between rounds P=1 %.0f%%, P=2 %.0f%%%n",
                cores, cpuBoundScaling(worker1, other1, worker2, other2, cores),
                cpuBoundScaling(worker2, other2, worker2, other2, cores), 100 * offCpu(p1), 100 * offCpu(p2),
                100 * idle(p1, 1), 100 * idle(p2, 2));
        out.printf(Locale.ROOT, "trigger to %s model (P=2, %d rounds + gate): %d ms%n",
                decision.promoted() ? "promoted" : "rejected", settings.rounds(), triggerToPromoted);
        out.printf(Locale.ROOT, "train P1_steps_per_s=%.0f P2_steps_per_s=%.0f scaling=%.2f%n", s1, s2, scaling);
        out.flush();
        return new Result(s1, s2, scaling, triggerToPromoted, decision.promoted());
    }

    private static double cpuPerKiloStep(long cpuNanos, ShardedTraining.Outcome o) {
        return o.workerCpuNanos() < 0 ? Double.NaN : cpuNanos / 1e6 / (o.seriesSteps() / 1000.0);
    }

    /**
     * P=2 over P=1 throughput on {@code cores} otherwise idle cores if nothing but CPU time limited
     * them: P workers cannot use more than P cores, and the whole process not more than {@code
     * cores}. Locks, barrier waits and other programs only lower it.
     */
    static double cpuBoundScaling(double worker1, double other1, double worker2, double other2, int cores) {
        double p1 = Math.min(1 / worker1, cores / (worker1 + other1));
        double p2 = Math.min(2 / worker2, cores / (worker2 + other2));
        return p2 / p1;
    }

    /** Share of the workers' time inside rounds that their threads were not on a CPU. */
    private static double offCpu(ShardedTraining.Outcome o) {
        return o.workerCpuNanos() < 0 ? Double.NaN : 1 - o.workerCpuNanos() / (double) o.workerNanos();
    }

    /** Share of the workers' wall time outside their own training: barrier waits and averaging. */
    private static double idle(ShardedTraining.Outcome o, int workers) {
        return 1 - o.workerNanos() / ((double) workers * o.nanos());
    }

    /** CPU time of the whole process (all threads, native BLAS included), or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
