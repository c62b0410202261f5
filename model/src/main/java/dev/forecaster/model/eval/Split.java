package dev.forecaster.model.eval;

import java.util.Objects;

/**
 * Train, validation and test rows of one series, in time order and not overlapping. Gaps between
 * them are allowed (rows in a gap are history, never scored).
 */
public record Split(RowRange train, RowRange val, RowRange test) {

    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
        Objects.requireNonNull(test, "test");
        if (val.start() < train.end() || test.start() < val.end()) {
            throw new IllegalArgumentException("splits must be in order train < val < test without overlap, were "
                    + train + ", " + val + ", " + test);
        }
    }

    /** The benchmark split of ETTh1 (12/4/4 months of 30 days), rows scaled by {@code rowsPerHour}. */
    public static Split ett(int rowsPerHour) {
        int month = 30 * 24 * rowsPerHour;
        return new Split(new RowRange(0, 12 * month), new RowRange(12 * month, 16 * month),
                new RowRange(16 * month, 20 * month));
    }

    /**
     * The ETT split's proportions, 12:4:4, over {@code rows} rows: for a series of another length
     * or interval, where the ETT months do not fit.
     *
     * @throws IllegalArgumentException when there are too few rows for three non-empty parts
     */
    public static Split proportional(int rows) {
        if (rows < 5) {
            throw new IllegalArgumentException("need at least 5 rows to split 12:4:4, have " + rows);
        }
        int trainEnd = (int) (rows * 12L / 20);
        int valEnd = (int) (rows * 16L / 20);
        return new Split(new RowRange(0, trainEnd), new RowRange(trainEnd, valEnd), new RowRange(valEnd, rows));
    }

    /** @throws IllegalArgumentException when the test rows run past the series' end */
    public void requireWithin(int rows) {
        if (test.end() > rows) {
            throw new IllegalArgumentException(
                    "test rows " + test + " run past the series' " + rows + " rows");
        }
    }
}
