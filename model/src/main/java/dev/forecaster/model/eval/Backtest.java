package dev.forecaster.model.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rolling-origin backtest of one forecaster on one series.
 *
 * <p>An origin is the 0-based row of the last observation a forecast has seen; its forecast
 * covers rows {@code origin+1 .. origin+H}. The test origins are every row from {@code
 * test.start-1} to {@code test.end-2} (stride 1), i.e. every origin whose first forecast row is a
 * test row. For horizon H only the origins whose whole horizon lies in the test rows count, {@code
 * test.start-1 .. test.end-1-H}: {@code test.length-H+1} origins, as in the benchmark's code.
 * Errors are taken on values z-normalised with the train rows' mean and population std.
 *
 * <p>{@link Mode#FROZEN} fits once on the train rows (the validation rows only select the model)
 * and forecasts every origin with that fit. {@link Mode#ONLINE} refits from scratch before the
 * first origin and then every {@code retrainEvery} origins, on everything known at that origin:
 * the latest {@code val.length} known rows for validation, every earlier row from {@code
 * train.start} on for training.
 */
public final class Backtest {

    public enum Mode {
        FROZEN,
        ONLINE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Progress of one model's backtest. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void onFitStart(String model, int origin) {}

        default void onOrigin(String model, long done, long total) {}

        /** A score the forecaster reported while fitting ({@link Forecaster#fit(TrainingData, FitProgress)}). */
        default void onFitScore(String model, FitProgress.Score score) {}
    }

    /** Receives one forecast per test origin, in the series' units, truncated at the test end. */
    @FunctionalInterface
    public interface ForecastSink {
        void accept(int origin, double[] forecast) throws java.io.IOException;
    }

    /**
     * Errors per horizon of one model, and where its time went; for a probabilistic model also its
     * calibration per horizon (empty for a point model).
     */
    public record Result(String model, Mode mode, Map<Integer, ErrorMetrics> byHorizon,
            Map<Integer, Calibration> calibration, int fits, double fitSeconds, double totalSeconds) {

        /** A point model's result. */
        public Result(String model, Mode mode, Map<Integer, ErrorMetrics> byHorizon, int fits,
                double fitSeconds, double totalSeconds) {
            this(model, mode, byHorizon, Map.of(), fits, fitSeconds, totalSeconds);
        }

        public boolean probabilistic() {
            return !calibration.isEmpty();
        }

        /** Mean over horizons of the MSE, to rank models. */
        public double meanMse() {
            return byHorizon.values().stream().mapToDouble(ErrorMetrics::mse).average().orElse(Double.NaN);
        }
    }

    private final Split split;
    private final int[] horizons;
    private final Mode mode;
    private final int retrainEvery;
    /** Rows whose value was filled in, not observed: never a target that is scored, nor in the z-score's rows. */
    private final BitSet unscored;

    public Backtest(Split split, List<Integer> horizons, Mode mode, int retrainEvery) {
        this(split, horizons, mode, retrainEvery, new BitSet());
    }

    /**
     * @param unscored rows whose values were filled in ({@link TimeSeries#missing}): forecasts still
     *     read them as history, but no error is scored against them and the z-score leaves them out
     */
    public Backtest(Split split, List<Integer> horizons, Mode mode, int retrainEvery, BitSet unscored) {
        this.unscored = (BitSet) Objects.requireNonNull(unscored, "unscored").clone();
        this.split = Objects.requireNonNull(split, "split");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.horizons = horizons.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
        if (this.horizons.length == 0 || this.horizons[0] <= 0) {
            throw new IllegalArgumentException("horizons must be positive, were " + horizons);
        }
        if (this.horizons[this.horizons.length - 1] > split.test().length()) {
            throw new IllegalArgumentException("horizon " + this.horizons[this.horizons.length - 1]
                    + " is longer than the " + split.test().length() + " test rows");
        }
        if (split.test().start() < 1) {
            throw new IllegalArgumentException("test rows must start after row 0");
        }
        if (mode == Mode.ONLINE && retrainEvery <= 0) {
            throw new IllegalArgumentException("retrainEvery must be > 0, was " + retrainEvery);
        }
        this.retrainEvery = retrainEvery;
    }

    /** The normalisation errors are scored in: the train rows' mean and std, filled rows left out. */
    public ZScore zScore(double[] series) {
        return ZScore.of(series, split.train(), unscored);
    }

    public int firstOrigin() {
        return split.test().start() - 1;
    }

    public int lastOrigin() {
        return split.test().end() - 2;
    }

    public int maxHorizon() {
        return horizons[horizons.length - 1];
    }

    /**
     * @param sink receives every test origin's forecast of up to the largest horizon, or null
     * @throws java.io.IOException from the sink
     */
    public Result run(Forecaster forecaster, double[] series, ForecastSink sink, Listener listener)
            throws java.io.IOException {
        return run(forecaster, series, null, sink, listener);
    }

    /**
     * As {@link #run(Forecaster, double[], ForecastSink, Listener)} for a series with times, which
     * forecasters with calendar features read.
     *
     * @param times epoch milliseconds of every row, or null
     */
    public Result run(Forecaster forecaster, double[] series, long[] times, ForecastSink sink,
            Listener listener) throws java.io.IOException {
        split.requireWithin(series.length);
        if (times != null && times.length != series.length) {
            throw new IllegalArgumentException(times.length + " times for " + series.length + " rows");
        }
        Listener progress = listener == null ? Listener.NONE : listener;
        ZScore z = zScore(series);
        Map<Integer, ErrorMetrics> metrics = new LinkedHashMap<>();
        Map<Integer, Calibration> calibration = new LinkedHashMap<>();
        for (int h : horizons) {
            metrics.put(h, new ErrorMetrics());
        }
        long started = System.nanoTime();
        long fitNanos = 0;
        int fits = 0;
        int testEnd = split.test().end();
        int hMax = maxHorizon();
        long total = (long) lastOrigin() - firstOrigin() + 1;
        for (int origin = firstOrigin(); origin <= lastOrigin(); origin++) {
            int sinceFirst = origin - firstOrigin();
            if (sinceFirst == 0 || (mode == Mode.ONLINE && sinceFirst % retrainEvery == 0)) {
                progress.onFitStart(forecaster.name(), origin);
                long t0 = System.nanoTime();
                forecaster.fit(trainingData(series, times, origin), score -> progress.onFitScore(forecaster.name(), score));
                fitNanos += System.nanoTime() - t0;
                fits++;
            }
            int lookback = forecaster.lookback();
            int from = Math.max(0, origin + 1 - lookback);
            double[] history = Arrays.copyOfRange(series, from, origin + 1);
            long[] historyTimes = times == null ? null : Arrays.copyOfRange(times, from, origin + 1);
            double[] longest = null;
            for (int h : horizons) {
                if (origin + h > testEnd - 1) {
                    break;
                }
                double[] f = forecaster.forecast(history, historyTimes, h);
                if (f.length != h) {
                    throw new IllegalStateException(forecaster.name() + " returned " + f.length
                            + " steps for horizon " + h);
                }
                ErrorMetrics m = metrics.get(h);
                for (int k = 0; k < h; k++) {
                    if (!unscored.get(origin + 1 + k)) {
                        m.add(z.normalise(f[k]), z.normalise(series[origin + 1 + k]));
                    }
                }
                double[] sd = forecaster.spreads(history, historyTimes, h);
                if (sd != null) {
                    Calibration c = calibration.computeIfAbsent(h, x -> new Calibration());
                    for (int k = 0; k < h; k++) {
                        if (unscored.get(origin + 1 + k)) {
                            continue;
                        }
                        // Spreads scale like values: normalised sd = sd / the train rows' std.
                        c.add(z.normalise(f[k]), sd[k] / z.std(), z.normalise(series[origin + 1 + k]));
                    }
                }
                if (h == hMax) {
                    longest = f;
                }
            }
            if (sink != null) {
                if (longest == null) {
                    longest = forecaster.forecast(history, historyTimes, hMax);
                }
                sink.accept(origin, Arrays.copyOf(longest, Math.min(hMax, testEnd - 1 - origin)));
            }
            progress.onOrigin(forecaster.name(), sinceFirst + 1, total);
        }
        double totalSeconds = (System.nanoTime() - started) / 1e9;
        return new Result(forecaster.name(), mode, metrics, calibration, fits, fitNanos / 1e9, totalSeconds);
    }

    /** Everything known at {@code origin}, split as the mode prescribes. */
    TrainingData trainingData(double[] series, int origin) {
        return trainingData(series, null, origin);
    }

    TrainingData trainingData(double[] series, long[] times, int origin) {
        if (mode == Mode.FROZEN) {
            int known = split.val().end();
            return new TrainingData(Arrays.copyOf(series, known),
                    times == null ? null : Arrays.copyOf(times, known), split.train(), split.val(), unscored.get(0, known));
        }
        int known = origin + 1;
        int valStart = known - split.val().length();
        if (valStart <= split.train().start()) {
            throw new IllegalArgumentException("no train rows before origin " + origin);
        }
        return new TrainingData(Arrays.copyOf(series, known), times == null ? null : Arrays.copyOf(times, known),
                new RowRange(split.train().start(), valStart), new RowRange(valStart, known), unscored.get(0, known));
    }
}
