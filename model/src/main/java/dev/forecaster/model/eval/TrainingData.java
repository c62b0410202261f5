package dev.forecaster.model.eval;

import java.util.BitSet;
import java.util.Objects;

/**
 * What a {@link Forecaster} may fit on: the series up to the end of the validation rows (nothing
 * later exists for it), the rows whose values may be labels ({@code train}), and the rows that may
 * only be used to choose between models ({@code val}); the rows' times (epoch milliseconds), or
 * null when the series has none; and the rows whose values were filled in for missing cells
 * ({@link TimeSeries#missing}), which are history but not observations. The recurrent forecasters
 * neither learn from them as labels nor judge themselves on them; NLinear (also as their base)
 * still fits on them, because leaving out whole windows cost more than it saved (see
 * docs/evaluation.md, "Not done").
 */
public record TrainingData(double[] series, long[] times, RowRange train, RowRange val, BitSet filled) {

    /** Without times, every row observed. */
    public TrainingData(double[] series, RowRange train, RowRange val) {
        this(series, null, train, val, new BitSet());
    }

    /** Every row observed. */
    public TrainingData(double[] series, long[] times, RowRange train, RowRange val) {
        this(series, times, train, val, new BitSet());
    }

    public TrainingData {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
        filled = filled == null ? new BitSet() : (BitSet) filled.clone();
        if (times != null && times.length != series.length) {
            throw new IllegalArgumentException(times.length + " times for " + series.length + " rows");
        }
        if (val.start() < train.end() || val.end() > series.length) {
            throw new IllegalArgumentException("need train " + train + " before val " + val
                    + " within " + series.length + " rows");
        }
    }

    /** A copy of the filled rows: the record stays unchanged whatever the caller does with it. */
    @Override
    public BitSet filled() {
        return (BitSet) filled.clone();
    }
}
