package dev.forecaster.model.lifecycle;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

/**
 * Rounds of parameter averaging over P {@link ShardWorker}s in one process, one thread per worker:
 * the same workers and averaging the Flink trainer job runs, without Flink or Kafka between them.
 * Used to compare P against 1 on the same data and seed, and by {@code bench train}.
 */
public final class ShardedTraining {

    /**
     * The model after the last round, and the work done.
     *
     * @param workerNanos summed over workers and rounds, the wall time each worker spent inside its
     *     round's training; {@code workers * nanos - workerNanos} is time a worker thread had no
     *     work: waiting at the round barrier for the slowest worker, or during the averaging
     * @param workerCpuNanos CPU time of the worker threads inside training (their Java and native
     *     ND4J code; not the JIT, GC or ND4J's deallocator threads), or -1 where the JVM does not
     *     measure thread CPU time. Per series-step it is independent of what else the machine runs,
     *     unlike the wall times.
     */
    public record Outcome(ModelSnapshot model, long seriesSteps, long nanos, List<Long> roundNanos,
            long workerNanos, long workerCpuNanos) {
        public double seriesStepsPerSecond() {
            return seriesSteps / (nanos / 1e9);
        }
    }

    /** One worker's round, with the worker thread's time spent on it. */
    private record Timed(ShardWorker.Trained trained, long nanos, long cpuNanos) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<ShardWorker> workers = new ArrayList<>();

    public ShardedTraining(int workerCount, int windowsPerWorker, List<TrainingWindow> windows) {
        for (int w = 0; w < workerCount; w++) {
            workers.add(new ShardWorker(w, windowsPerWorker));
        }
        for (TrainingWindow window : windows) {
            workers.get(ShardWorker.shardOf(window.getSeriesId(), workerCount)).add(window);
        }
    }

    public List<ShardWorker> workers() {
        return workers;
    }

    /** Runs {@code rounds} rounds from {@code initial}; workers of a round run concurrently. */
    public Outcome run(ModelSnapshot initial, int rounds, RoundOptions options) {
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, "shard-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            ModelSnapshot model = initial;
            long steps = 0;
            long workerNanos = 0;
            long workerCpuNanos = 0;
            boolean cpuMeasured = true;
            List<Long> roundNanos = new ArrayList<>();
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                long roundStart = System.nanoTime();
                ModelSnapshot base = model;
                long r = round;
                List<Future<Timed>> futures = new ArrayList<>();
                for (ShardWorker worker : workers) {
                    futures.add(pool.submit(() -> timed(worker, base, r, options)));
                }
                List<WorkerResult> results = new ArrayList<>();
                for (Future<Timed> f : futures) {
                    Timed timed = f.get();
                    results.add(timed.trained().result());
                    steps += timed.trained().seriesSteps();
                    workerNanos += timed.nanos();
                    workerCpuNanos += timed.cpuNanos();
                    cpuMeasured &= timed.cpuNanos() >= 0;
                }
                model = ParameterAveraging.average(base, results);
                roundNanos.add(System.nanoTime() - roundStart);
            }
            return new Outcome(model, steps, System.nanoTime() - started, roundNanos, workerNanos,
                    cpuMeasured ? workerCpuNanos : -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Timed timed(ShardWorker worker, ModelSnapshot base, long round, RoundOptions options) {
        long cpu0 = threadCpuNanos();
        long t0 = System.nanoTime();
        ShardWorker.Trained trained = worker.train(base, round, options);
        long nanos = System.nanoTime() - t0;
        long cpu1 = threadCpuNanos();
        return new Timed(trained, nanos, cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
    }

    private static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }
}
