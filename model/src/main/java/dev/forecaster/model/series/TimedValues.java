package dev.forecaster.model.series;

import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;

import java.util.Objects;

/**
 * Consecutive values of one series, oldest first, with their event times (epoch milliseconds) and
 * the normalisation statistics the series had before the first of them. Times may be unknown (an
 * empty array): windows cut before times were recorded carry none, which only matters to models
 * with calendar features. The statistics may be unknown too ({@code null}): values that do not come
 * from a served key's history then start from empty statistics, as a new key does.
 *
 * @param start the statistics of every value before the first, or {@code null} when unknown; kept
 *     as a copy, and handed out only as copies ({@link #startScaler})
 */
public record TimedValues(long[] times, double[] values, SeriesScaler start) {

    private static final long[] NO_TIMES = new long[0];

    public TimedValues {
        Objects.requireNonNull(values, "values");
        times = times == null ? NO_TIMES : times;
        if (times.length != 0 && times.length != values.length) {
            throw new IllegalArgumentException(times.length + " times for " + values.length + " values");
        }
        start = start == null ? null : start.copy();
    }

    /** Values whose earlier statistics are unknown. */
    public TimedValues(long[] times, double[] values) {
        this(times, values, null);
    }

    /** A copy of the start statistics, or {@code null}; see {@link #startScaler}. */
    @Override
    public SeriesScaler start() {
        return start == null ? null : start.copy();
    }

    /**
     * The statistics to replay these values from for a model with scaling memory {@code memory}:
     * the start statistics carried on with that memory, as serving carries a key's statistics on
     * when such a model takes it over ({@link SeriesScaler#useMemory}), or empty statistics when
     * the start is unknown. A new object each call.
     */
    public SeriesScaler startScaler(int memory) {
        if (start == null) {
            return new SeriesScaler(memory);
        }
        SeriesScaler scaler = start.copy();
        scaler.useMemory(memory);
        return scaler;
    }

    /** Values whose times are unknown. */
    public static TimedValues untimed(double[] values) {
        return new TimedValues(NO_TIMES, values);
    }

    public boolean hasTimes() {
        return times.length == values.length;
    }

    /** Whether a model reading {@code features} can step over these values: calendar features need the times. */
    public boolean canFeed(InputFeatures features) {
        return hasTimes() || !features.usesTime();
    }

    /** The times, or zeros when they are unknown (which only value-only models, ignoring them, may be given). */
    public long[] timesOrZeros() {
        return hasTimes() ? times : new long[values.length];
    }

    public int size() {
        return values.length;
    }
}
