package dev.forecaster.jobs.report;

import java.util.List;

import dev.forecaster.model.HeadKind;

/**
 * Builds a {@link SeriesReport} from what a backfill produces: the rows, the forecast issued at each
 * row (means for steps 1..H) and the scores.
 */
public final class SeriesReports {

    /** z of the 90th percentile of a normal: the band is the central 80 %, as a Gaussian head's p10–p90. */
    static final double Z90 = HeadKind.Z90;
    /** Residual spread is tracked over about this many rows. */
    static final int SPREAD_SPAN = 100;
    /** Errors beyond this many spreads enter the spread clipped to it, once {@link #WARM} errors are in. */
    static final double WINSOR = 4.0;
    static final int WARM = 10;

    private SeriesReports() {}

    /**
     * @param values observed value per row; NaN for rows that were not used
     * @param means forecast issued at each row (steps 1..H), null or empty for rows without one
     * @param spreads standard deviation per step of each forecast when the model provides one; null
     *     (for every row, or for the rows whose forecast had none, e.g. persistence before a key's
     *     first model) to derive the band from the series' own recent one-step errors (causally: a
     *     row's band uses only the errors of earlier rows)
     */
    public static SeriesReport build(String seriesId, long[] times, double[] values, double[][] means,
            double[][] spreads, double[] scores, List<AlertMark> alerts) {
        int n = times.length;
        double[] expected = nans(n);
        double[] lower = nans(n);
        double[] upper = nans(n);
        int lastForecastRow = -1;
        double mean = 0;
        double var = 0;
        int residuals = 0;
        for (int i = 0; i < n; i++) {
            if (lastForecastRow >= 0 && Double.isFinite(values[i])) {
                double e = means[lastForecastRow][0];
                double[] predicted = spreads == null ? null : spreads[lastForecastRow];
                double sd = predicted != null && predicted.length > 0 ? predicted[0]
                        : (residuals >= 2 ? Math.sqrt(var) : Double.NaN);
                expected[i] = e;
                lower[i] = e - Z90 * sd;
                upper[i] = e + Z90 * sd;
                double r = values[i] - e;
                if (residuals >= WARM) {
                    // Winsorised, so that one spike does not widen the band for the next hundred rows.
                    double limit = WINSOR * Math.sqrt(var);
                    r = Math.max(mean - limit, Math.min(mean + limit, r));
                }
                residuals++;
                double alpha = Math.max(1.0 / residuals, 1.0 / SPREAD_SPAN);
                double d = r - mean;
                mean += alpha * d;
                var = (1 - alpha) * (var + alpha * d * d);
            }
            if (means[i] != null && means[i].length > 0) {
                lastForecastRow = i;
            }
        }
        return new SeriesReport(seriesId, times, values, expected, lower, upper, scores, alerts,
                maeByStep(values, means));
    }

    /** Mean absolute error at each step h over every origin i whose target row i + h exists and was used. */
    static double[] maeByStep(double[] values, double[][] means) {
        int horizon = 0;
        for (double[] m : means) {
            if (m != null) {
                horizon = Math.max(horizon, m.length);
            }
        }
        double[] sum = new double[horizon];
        long[] count = new long[horizon];
        for (int i = 0; i < means.length; i++) {
            if (means[i] == null) {
                continue;
            }
            for (int h = 1; h <= means[i].length && i + h < values.length; h++) {
                if (Double.isFinite(values[i + h])) {
                    sum[h - 1] += Math.abs(values[i + h] - means[i][h - 1]);
                    count[h - 1]++;
                }
            }
        }
        double[] mae = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            mae[h] = count[h] == 0 ? Double.NaN : sum[h] / count[h];
        }
        return mae;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
