package dev.forecaster.model.series;

import dev.forecaster.model.features.InputFeatures;

import java.util.Objects;

/**
 * Consecutive values of one series, oldest first, with their event times (epoch milliseconds).
 * Times may be unknown (an empty array): windows cut before times were recorded carry none, which
 * only matters to models with calendar features.
 */
public record TimedValues(long[] times, double[] values) {

    private static final long[] NO_TIMES = new long[0];

    public TimedValues {
        Objects.requireNonNull(values, "values");
        times = times == null ? NO_TIMES : times;
        if (times.length != 0 && times.length != values.length) {
            throw new IllegalArgumentException(times.length + " times for " + values.length + " values");
        }
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
