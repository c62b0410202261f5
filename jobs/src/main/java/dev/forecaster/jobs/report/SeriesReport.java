package dev.forecaster.jobs.report;

import java.util.List;

/**
 * What the report shows of one series, aligned by row: the observed values, the one-step forecast
 * that targeted each row with its band, the anomaly score, the alerts, and the forecast error by
 * horizon step. Missing values (a row with no forecast yet, an unparsable row) are NaN.
 *
 * @param lower lower edge of the band around {@code expected} (the 10th percentile)
 * @param upper upper edge of the band (the 90th percentile)
 * @param maeByStep mean absolute error of the forecasts at horizon step 1, 2, ..., in the series' units
 */
public record SeriesReport(
        String seriesId,
        long[] times,
        double[] actual,
        double[] expected,
        double[] lower,
        double[] upper,
        double[] score,
        List<AlertMark> alerts,
        double[] maeByStep) {

    public SeriesReport {
        int n = times.length;
        if (actual.length != n || expected.length != n || lower.length != n || upper.length != n || score.length != n) {
            throw new IllegalArgumentException("series " + seriesId + ": all per-row arrays need " + n + " entries");
        }
        alerts = List.copyOf(alerts);
    }

    public int rows() {
        return times.length;
    }

    public long count(boolean critical) {
        return alerts.stream().filter(a -> a.critical() == critical).count();
    }
}
