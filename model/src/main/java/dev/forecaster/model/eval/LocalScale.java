package dev.forecaster.model.eval;

/**
 * A series' recent volatility relative to its train rows: at row t, the root mean square of the
 * one-step changes into rows (t - changes, t], divided by the train rows' root mean square change,
 * clamped to [{@value #MIN}, {@value #MAX}]. A recurrent correction learnt in these units grows and
 * shrinks with the series' recent moves (the idea of reversible instance normalisation, applied to
 * scale only: the level is already the base's business).
 *
 * <p>Causal: row t's ratio reads rows up to t only, so a backtest origin's ratio is the one a live
 * forecaster would have. Rows with fewer than {@code changes} changes before them use those there
 * are; row 0's ratio is 1.
 */
final class LocalScale {

    /** Bounds of the ratio: a flat stretch must not blow inputs up, nor a burst silence them. */
    static final double MIN = 0.05;
    static final double MAX = 20;

    /** Ratio 1 at every row: the option is off. */
    static final LocalScale NONE = new LocalScale(null, 0, 1);

    /** prefix[t]: sum of the squared changes into rows 1..t. */
    private final double[] prefix;
    private final int changes;
    private final double trainRms;

    private LocalScale(double[] prefix, int changes, double trainRms) {
        this.prefix = prefix;
        this.changes = changes;
        this.trainRms = trainRms;
    }

    /**
     * @param changes how many trailing changes each row's ratio averages, at least 2
     * @param trainRms the train rows' root mean square one-step change, positive
     */
    static LocalScale of(double[] x, int changes, double trainRms) {
        if (changes < 2) {
            throw new IllegalArgumentException("local scale needs at least 2 changes, not " + changes);
        }
        if (!(trainRms > 0) || Double.isInfinite(trainRms)) {
            throw new IllegalArgumentException("train change scale must be positive, not " + trainRms);
        }
        double[] prefix = new double[x.length];
        for (int t = 1; t < x.length; t++) {
            double d = x[t] - x[t - 1];
            prefix[t] = prefix[t - 1] + d * d;
        }
        return new LocalScale(prefix, changes, trainRms);
    }

    /** The ratio at row {@code t}. */
    double ratio(int t) {
        if (prefix == null || t <= 0) {
            return 1;
        }
        int from = Math.max(0, t - changes);
        double meanSquare = Math.max(0, prefix[t] - prefix[from]) / (t - from);
        double r = Math.sqrt(meanSquare) / trainRms;
        return Math.min(MAX, Math.max(MIN, r));
    }
}
