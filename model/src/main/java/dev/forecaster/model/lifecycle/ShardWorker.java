package dev.forecaster.model.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.LstmTrainer;
import dev.forecaster.model.train.TrainingListener;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

/**
 * One training worker: keeps the newest training windows of its shard of keys and, per round,
 * trains from the round's base model on them with TBPTT. Runs on the calling thread (one thread
 * per worker); the Flink operator and the benchmark both drive it.
 */
public final class ShardWorker {

    /** A round's result plus what it cost. */
    public record Trained(WorkerResult result, long seriesSteps, long millis) {}

    private final int worker;
    private final int capacity;
    private final Deque<TrainingWindow> windows = new ArrayDeque<>();

    /** @param capacity windows kept; the oldest leaves when a new one arrives */
    public ShardWorker(int worker, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        this.worker = worker;
        this.capacity = capacity;
    }

    /** Which of {@code workers} shards a series belongs to. */
    public static int shardOf(String seriesId, int workers) {
        return Math.floorMod(seriesId.hashCode(), workers);
    }

    public void add(TrainingWindow window) {
        if (windows.size() == capacity) {
            windows.removeFirst();
        }
        windows.addLast(window);
    }

    /** Oldest first. */
    public List<TrainingWindow> windows() {
        return new ArrayList<>(windows);
    }

    public int worker() {
        return worker;
    }

    /**
     * Trains {@code options.localBatches()} minibatches from {@code base}. A worker without usable
     * windows returns the base with zero samples, so it weighs nothing in the average but does not
     * hold the round up.
     *
     * @throws IllegalStateException when training diverges (non-finite loss)
     */
    public Trained train(ModelSnapshot base, long round, RoundOptions options) {
        long started = System.nanoTime();
        TrainingOptions opts = options.trainingOptions(base, round, worker);
        // Shorter windows (young keys) train masked; see LstmTrainer.
        int needed = LstmTrainer.minimumLength(opts.horizon());
        List<double[]> series = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        List<SeriesScaler> scalers = new ArrayList<>();
        for (TrainingWindow w : windows) {
            TimedValues timed = TrainingWindows.timed(w);
            // A window cut before times were recorded cannot feed calendar features.
            if (timed.size() >= needed && timed.canFeed(opts.features())) {
                series.add(timed.values());
                times.add(timed.hasTimes() ? timed.times() : null);
                scalers.add(TrainingWindows.startScaler(w));
            }
        }
        if (series.isEmpty()) {
            return new Trained(new WorkerResult(base, 0), 0, 0);
        }
        ModelSnapshot trained = new LstmTrainer().train(series, times, scalers, base, opts, TrainingListener.NONE);
        long steps = (long) opts.maxIterations() * opts.batchSize() * opts.windowLength();
        return new Trained(new WorkerResult(trained, series.size()), steps,
                (System.nanoTime() - started) / 1_000_000);
    }
}
