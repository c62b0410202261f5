package dev.forecaster.model.calibration;

/**
 * Per forecast step, a factor in [0, 1] for a model's correction to a base forecast, fitted on
 * held-out origins: the least-squares slope of the base's errors on the corrections, through the
 * origin, damped by its uncertainty and clipped. A correction that held-out data supports keeps a
 * factor near 1; one that is noise there shrinks toward 0, i.e. toward the base. {@code evaluate}'s
 * residual networks correct NLinear (or the last value); the streaming models forecast the change
 * from the last value, so their base is persistence.
 *
 * <p>Errors may be NaN where an origin has no label at a step; those cells are left out.
 */
public final class CorrectionShrinkage {

    /** Contiguous runs of origins whose sums give the slope's standard error, by default. */
    public static final int DEFAULT_BLOCKS = 16;

    private CorrectionShrinkage() {}

    /** Factors that leave every step's correction whole. */
    public static double[] none(int h) {
        double[] ones = new double[h];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    /** The clipped least-squares factors, undamped: {@link #factors} with 0 blocks. */
    public static double[] leastSquares(float[][] corrections, float[][] errors, int h) {
        return factors(corrections, errors, h, 0);
    }

    /**
     * Per step k, the least-squares factor a times the positive-part James–Stein weight
     * max(0, 1 - se²/a²), clipped to [0, 1]: a factor the data pin down keeps nearly all of itself,
     * and one within about a standard error of zero goes to zero. The standard error comes from
     * {@code blocks} contiguous runs of origins (their products of correction and residual summed per
     * run), because neighbouring origins' errors overlap in time and are far from independent.
     * {@code blocks} 0 leaves the factors undamped. A step without any correction gets 1.
     *
     * @param corrections [origin][step] the model's correction
     * @param errors [origin][step] what the base got wrong (label minus base), NaN where unknown
     */
    public static double[] factors(float[][] corrections, float[][] errors, int h, int blocks) {
        int n = corrections.length;
        int runs = Math.min(blocks, n);
        double[] factors = new double[h];
        for (int k = 0; k < h; k++) {
            double cross = 0;
            double square = 0;
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(errors[i][k])) {
                    continue;
                }
                cross += (double) corrections[i][k] * errors[i][k];
                square += (double) corrections[i][k] * corrections[i][k];
            }
            if (!(square > 0)) {
                factors[k] = 1;
                continue;
            }
            double a = cross / square;
            double weight = runs > 0 ? jamesSteinWeight(corrections, errors, k, a, square, runs) : 1;
            factors[k] = Math.min(1, Math.max(0, a * weight));
        }
        return factors;
    }

    /** Mean squared error of {@code factor × correction} against the errors, over known cells. */
    public static double shrunkMse(float[][] corrections, float[][] errors, double[] factors) {
        double sum = 0;
        long cells = 0;
        int h = factors.length;
        for (int i = 0; i < corrections.length; i++) {
            for (int k = 0; k < h; k++) {
                if (Float.isNaN(errors[i][k])) {
                    continue;
                }
                double e = factors[k] * corrections[i][k] - errors[i][k];
                sum += e * e;
                cells++;
            }
        }
        return sum / cells;
    }

    /** max(0, 1 - se²/a²) for step k's slope a, se² from the sums over {@code runs} runs of origins. */
    private static double jamesSteinWeight(float[][] corrections, float[][] errors, int k, double a,
            double square, int runs) {
        if (a == 0) {
            return 0;
        }
        int n = corrections.length;
        double variance = 0;
        for (int b = 0; b < runs; b++) {
            double run = 0;
            for (int i = (int) ((long) b * n / runs); i < (int) ((long) (b + 1) * n / runs); i++) {
                if (Float.isNaN(errors[i][k])) {
                    continue;
                }
                double c = corrections[i][k];
                run += c * (errors[i][k] - a * c);
            }
            variance += run * run;
        }
        variance /= square * square;
        return Math.max(0, 1 - variance / (a * a));
    }
}
