package dev.forecaster.model.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import dev.forecaster.model.anomaly.Alert;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;

/**
 * Runs every series through its own {@link SeriesProcessor} from a cold start, row by row in
 * arrival order, exactly as the keyed operator of the streaming job and the backfill does, and
 * keeps each row's score and the alerts raised. Series are independent, so they run on a pool of threads; each series'
 * result depends on its rows alone, whatever the thread count.
 */
public final class StreamScorer {

    /**
     * What a detector reported on one series.
     *
     * @param scores per row, the anomaly score
     * @param alerts the alerts raised, each at the row whose observation raised it, with its
     *     severity ({@code warning} or {@code critical}) and whether it escalates an episode
     */
    public record SeriesResult(String key, double[] scores, List<RaisedAlert> alerts) {}

    /** One alert, at the row that raised it. */
    public record RaisedAlert(int row, Alert alert) {}

    private StreamScorer() {}

    /**
     * @param processors a new processor per series (a processor serves one thread)
     * @param progress told the rows done so far, on the calling thread, a few times a second
     */
    public static List<SeriesResult> run(List<SeriesRows> series, Supplier<SeriesProcessor> processors, int threads,
            LongConsumer progress) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stream-scorer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SeriesResult>> futures = new ArrayList<>();
            for (SeriesRows s : series) {
                futures.add(pool.submit(() -> score(s, processors.get(), done)));
            }
            pool.shutdown();
            while (!pool.awaitTermination(250, TimeUnit.MILLISECONDS)) {
                progress.accept(done.get());
                for (Future<SeriesResult> f : futures) {
                    if (f.isDone()) {
                        f.get(); // fail fast
                    }
                }
            }
            progress.accept(done.get());
            List<SeriesResult> results = new ArrayList<>();
            for (Future<SeriesResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    static SeriesResult score(SeriesRows s, SeriesProcessor processor, AtomicLong done) {
        SeriesState state = processor.newState();
        double[] scores = new double[s.rows()];
        List<RaisedAlert> alerts = new ArrayList<>();
        for (int row = 0; row < s.rows(); row++) {
            SeriesProcessor.Step step = processor.observe(state, s.epochMillis()[row], s.values()[row]);
            scores[row] = step.anomalyScore();
            if (step.alert() != null) {
                alerts.add(new RaisedAlert(row, step.alert()));
            }
            done.incrementAndGet();
        }
        return new SeriesResult(s.key(), scores, alerts);
    }
}
