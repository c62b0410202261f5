package dev.forecaster.model.quality;

import java.util.Objects;

/** One series to run a detector over: its rows in arrival order. */
public record SeriesRows(String key, long[] epochMillis, double[] values) {

    public SeriesRows {
        Objects.requireNonNull(key, "key");
        if (epochMillis.length != values.length) {
            throw new IllegalArgumentException(epochMillis.length + " times but " + values.length + " values");
        }
    }

    public int rows() {
        return values.length;
    }
}
