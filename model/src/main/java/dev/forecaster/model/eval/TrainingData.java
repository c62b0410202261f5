package dev.forecaster.model.eval;

import java.util.Objects;

/**
 * What a {@link Forecaster} may fit on: the series up to the end of the validation rows (nothing
 * later exists for it), the rows whose values may be labels ({@code train}), and the rows that may
 * only be used to choose between models ({@code val}); and the rows' times (epoch milliseconds),
 * or null when the series has none.
 */
public record TrainingData(double[] series, long[] times, RowRange train, RowRange val) {

    /** Without times. */
    public TrainingData(double[] series, RowRange train, RowRange val) {
        this(series, null, train, val);
    }

    public TrainingData {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
        if (times != null && times.length != series.length) {
            throw new IllegalArgumentException(times.length + " times for " + series.length + " rows");
        }
        if (val.start() < train.end() || val.end() > series.length) {
            throw new IllegalArgumentException("need train " + train + " before val " + val
                    + " within " + series.length + " rows");
        }
    }
}
