package dev.forecaster.model.eval;

import java.util.Objects;

/**
 * What a {@link Forecaster} may fit on: the series up to the end of the validation rows (nothing
 * later exists for it), the rows whose values may be labels ({@code train}), and the rows that may
 * only be used to choose between models ({@code val}).
 */
public record TrainingData(double[] series, RowRange train, RowRange val) {

    public TrainingData {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
        if (val.start() < train.end() || val.end() > series.length) {
            throw new IllegalArgumentException("need train " + train + " before val " + val
                    + " within " + series.length + " rows");
        }
    }
}
