package dev.forecaster.model.eval;

import java.util.BitSet;

/**
 * Fixed z-normalisation with the mean and population standard deviation of a range of rows, as
 * the benchmark scores errors: on the train rows' scale, so that errors are comparable across
 * series and with published numbers.
 */
public record ZScore(double mean, double std) {

    public ZScore {
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("need a finite mean and a positive std, were " + mean + ", " + std);
        }
    }

    public static ZScore of(double[] values, RowRange rows) {
        return of(values, rows, new BitSet());
    }

    /** As {@link #of(double[], RowRange)} over the rows not in {@code skip} (values filled in, not observed). */
    public static ZScore of(double[] values, RowRange rows, BitSet skip) {
        double mean = 0;
        int n = 0;
        for (int i = rows.start(); i < rows.end(); i++) {
            if (!skip.get(i)) {
                mean += values[i];
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("rows " + rows + " hold no observed value; cannot z-normalise");
        }
        mean /= n;
        double ss = 0;
        for (int i = rows.start(); i < rows.end(); i++) {
            if (!skip.get(i)) {
                double d = values[i] - mean;
                ss += d * d;
            }
        }
        double std = Math.sqrt(ss / n);
        // Relative: the mean of n copies of 0.1 is not exactly 0.1, and the "std" of such a constant
        // span comes out near 1e-15, which would blow every error up by 1e30 instead of failing.
        if (!(std > 1e-12 * Math.abs(mean))) {
            throw new IllegalArgumentException("rows " + rows + " are constant; cannot z-normalise");
        }
        return new ZScore(mean, std);
    }

    public double normalise(double x) {
        return (x - mean) / std;
    }

    public double denormalise(double z) {
        return mean + z * std;
    }
}
