package dev.forecaster.model.lifecycle;

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

    /** The model after the last round, and the work done. */
    public record Outcome(ModelSnapshot model, long seriesSteps, long nanos, List<Long> roundNanos) {
        public double seriesStepsPerSecond() {
            return seriesSteps / (nanos / 1e9);
        }
    }

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
            List<Long> roundNanos = new ArrayList<>();
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                long roundStart = System.nanoTime();
                ModelSnapshot base = model;
                long r = round;
                List<Future<ShardWorker.Trained>> futures = new ArrayList<>();
                for (ShardWorker worker : workers) {
                    futures.add(pool.submit(() -> worker.train(base, r, options)));
                }
                List<WorkerResult> results = new ArrayList<>();
                for (Future<ShardWorker.Trained> f : futures) {
                    ShardWorker.Trained trained = f.get();
                    results.add(trained.result());
                    steps += trained.seriesSteps();
                }
                model = ParameterAveraging.average(base, results);
                roundNanos.add(System.nanoTime() - roundStart);
            }
            return new Outcome(model, steps, System.nanoTime() - started, roundNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
