package dev.forecaster.model.calibration;

import dev.forecaster.model.HeadKind;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits {@link SpreadCalibration} factors from held-out forecasts, split-conformal style: for each
 * step k it collects the standardised errors {@code z = (actual - mean) / sd} of the head's raw
 * Gaussian forecasts and sets {@code f_k = q_k / Z90}, where {@code q_k} is the empirical 0.8
 * quantile of {@code |z|} with the finite-sample rank correction: the ⌈(n+1)·0.8⌉-th smallest of
 * the n values. The interval mean ∓ Z90·f_k·sd is then exactly [mean - q_k·sd, mean + q_k·sd],
 * which contains at least 80 % of exchangeable new outcomes (the conformal guarantee), and about
 * 80 % of the held-out ones.
 *
 * <p>A quantile of |z| rather than a variance match ({@code f² = mean z²}, which is what
 * maximises the Gaussian likelihood): the variance is ruled by the largest errors (level shifts,
 * outliers), so with heavy tails it widens every interval to accommodate them, and the p10–p90
 * band, which is what forecasts publish, would still miss 80 %. The quantile targets that band
 * directly and ignores how far the worst errors lie. See docs/evaluation.md for what it does to
 * NLL and CRPS.
 *
 * <p>Small samples: a quantile from a handful of points is mostly noise, so a step with fewer
 * than {@value #MIN_POINTS} points pools the points of its nearest steps (k±1, k±2, …) until it
 * has that many; errors of neighbouring steps come from the same origins and have nearly the same
 * spread, so pooling trades a little bias for a usable estimate. When all steps together have
 * fewer, nothing is fitted: the factors stay 1 ({@link Fit#fitted()} is false), since an
 * interval from a few points could be worse than the head's own. Mutable, not thread-safe.
 */
public final class SpreadCalibrator {

    /** Target coverage of the central interval [p10, p90]. */
    public static final double LEVEL = 0.8;

    /**
     * Fewest points behind one step's factor. With n points the realised coverage of a conformal
     * interval varies by about √(0.16 / n): ±0.06 at 50.
     */
    public static final int MIN_POINTS = 50;

    private final double[][] scores;
    private final int[] counts;

    /** @param horizon forecast steps 1..horizon */
    public SpreadCalibrator(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be positive, not " + horizon);
        }
        scores = new double[horizon][];
        counts = new int[horizon];
        for (int k = 0; k < horizon; k++) {
            scores[k] = new double[16];
        }
    }

    public int horizon() {
        return counts.length;
    }

    /**
     * Records one held-out forecast of the step {@code k + 1} steps ahead, from the head's raw
     * (uncalibrated) spread.
     *
     * @throws IllegalArgumentException when {@code k} is out of range, {@code sd} is not finite
     *     and positive, or {@code mean} or {@code actual} is not finite
     */
    public void add(int k, double mean, double sd, double actual) {
        if (k < 0 || k >= counts.length) {
            throw new IllegalArgumentException("step index " + k + " outside 0.." + (counts.length - 1));
        }
        if (!(sd > 0) || !Double.isFinite(sd) || !Double.isFinite(mean) || !Double.isFinite(actual)) {
            throw new IllegalArgumentException("cannot calibrate on mean " + mean + ", sd " + sd
                    + ", actual " + actual + " (step " + (k + 1) + ")");
        }
        double z = Math.abs(actual - mean) / sd;
        if (!Double.isFinite(z)) {
            throw new IllegalArgumentException("standardised error overflows: mean " + mean + ", sd " + sd
                    + ", actual " + actual + " (step " + (k + 1) + ")");
        }
        if (counts[k] == scores[k].length) {
            scores[k] = Arrays.copyOf(scores[k], 2 * scores[k].length);
        }
        scores[k][counts[k]++] = z;
    }

    /** Points recorded for the step {@code k + 1} ahead. */
    public int count(int k) {
        return counts[k];
    }

    /** Points recorded over all steps. */
    public long count() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * The calibration and what it did on the points it was fitted to.
     *
     * @param fitted false when there were fewer than {@value #MIN_POINTS} points in all: the
     *     calibration is then the identity
     * @param points points recorded
     * @param coverageBefore share of the points inside the head's raw p10–p90 (NaN without points)
     * @param coverageAfter the same with the calibrated spreads; about {@value #LEVEL} by
     *     construction, since it is measured on the fitting points
     * @param pooledSteps steps whose factor used neighbouring steps' points
     */
    public record Fit(SpreadCalibration calibration, boolean fitted, long points, double coverageBefore,
            double coverageAfter, int pooledSteps) {

        /** Names, before their prefix, of every figure {@link #metrics} may give. */
        public static final java.util.List<String> METRIC_NAMES = java.util.List.of("calibration_points",
                "cover80_raw", "cover80", "spread_factor_min", "spread_factor_median", "spread_factor_max",
                "calibration_pooled_steps");

        /**
         * The figures for a snapshot's metrics, names prefixed by {@code prefix}: points, coverage
         * before ({@code cover80_raw}); when fitted, coverage after ({@code cover80}) and the
         * factors' range.
         */
        public Map<String, Double> metrics(String prefix) {
            Map<String, Double> m = new TreeMap<>();
            m.put(prefix + "calibration_points", (double) points);
            if (points > 0) {
                m.put(prefix + "cover80_raw", coverageBefore);
            }
            if (fitted) {
                m.put(prefix + "cover80", coverageAfter);
                double[] f = calibration.factors();
                Arrays.sort(f);
                m.put(prefix + "spread_factor_min", f[0]);
                m.put(prefix + "spread_factor_median", f[f.length / 2]);
                m.put(prefix + "spread_factor_max", f[f.length - 1]);
                m.put(prefix + "calibration_pooled_steps", (double) pooledSteps);
            }
            return m;
        }
    }

    /** The factors for the points recorded so far. */
    public Fit fit() {
        int horizon = counts.length;
        long total = count();
        if (total < MIN_POINTS) {
            double before = coverage(SpreadCalibration.identity(horizon));
            return new Fit(SpreadCalibration.identity(horizon), false, total, before, before, 0);
        }
        double[] factors = new double[horizon];
        int pooledSteps = 0;
        for (int k = 0; k < horizon; k++) {
            int lo = k;
            int hi = k;
            int pooled = counts[k];
            while (pooled < MIN_POINTS) {
                // total ≥ MIN_POINTS, so widening eventually gathers enough.
                if (lo > 0) {
                    pooled += counts[--lo];
                }
                if (hi < horizon - 1) {
                    pooled += counts[++hi];
                }
            }
            if (lo != k || hi != k) {
                pooledSteps++;
            }
            double[] z = new double[pooled];
            int at = 0;
            for (int j = lo; j <= hi; j++) {
                System.arraycopy(scores[j], 0, z, at, counts[j]);
                at += counts[j];
            }
            Arrays.sort(z);
            double f = conformalQuantile(z) / HeadKind.Z90;
            factors[k] = Math.max(SpreadCalibration.MIN_FACTOR, Math.min(SpreadCalibration.MAX_FACTOR, f));
        }
        SpreadCalibration calibration = SpreadCalibration.of(factors);
        return new Fit(calibration, true, total, coverage(SpreadCalibration.identity(horizon)),
                coverage(calibration), pooledSteps);
    }

    /**
     * The ⌈(n+1)·{@value #LEVEL}⌉-th smallest of the n sorted values (the split-conformal
     * quantile); the largest when that rank exceeds n, which happens only for n < 4.
     */
    static double conformalQuantile(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        // The small epsilon keeps an exact product such as 10 · 0.8 from rounding up to 9.
        int rank = (int) Math.ceil((n + 1) * LEVEL - 1e-9);
        return sorted[Math.min(n, rank) - 1];
    }

    /** Share of the recorded points inside mean ∓ Z90·f_k·sd. */
    private double coverage(SpreadCalibration calibration) {
        long inside = 0;
        long total = 0;
        for (int k = 0; k < counts.length; k++) {
            double bound = HeadKind.Z90 * calibration.factor(k);
            for (int i = 0; i < counts[k]; i++) {
                if (scores[k][i] <= bound) {
                    inside++;
                }
            }
            total += counts[k];
        }
        return total == 0 ? Double.NaN : (double) inside / total;
    }
}
