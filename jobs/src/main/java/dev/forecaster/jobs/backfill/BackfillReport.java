package dev.forecaster.jobs.backfill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.forecaster.jobs.report.AlertMark;
import dev.forecaster.jobs.report.HtmlReport;
import dev.forecaster.jobs.report.SeriesReport;
import dev.forecaster.jobs.report.SeriesReports;

/** The HTML report of a backfill run: its series, forecasts, scores and alerts. */
public final class BackfillReport {

    private BackfillReport() {}

    /** The report of a single-series run: every row is of the one series. */
    public static SeriesReport series(List<InputRow> rows, BackfillJob.Result result) {
        return series(BackfillJob.SERIES_ID, rows, result);
    }

    /**
     * One report per series, in order of first appearance; a keyed input's rows without a series
     * (bad rows) belong to none.
     */
    public static List<SeriesReport> perSeries(List<InputRow> rows, boolean keyed, BackfillJob.Result result) {
        if (!keyed) {
            return List.of(series(rows, result));
        }
        Map<String, List<InputRow>> bySeries = new LinkedHashMap<>();
        for (InputRow row : rows) {
            if (!row.series().isEmpty()) {
                bySeries.computeIfAbsent(row.series(), k -> new ArrayList<>()).add(row);
            }
        }
        List<SeriesReport> reports = new ArrayList<>();
        bySeries.forEach((id, seriesRows) -> reports.add(series(id, seriesRows, result)));
        return reports;
    }

    /** @param rows the series' rows, in file order: the chart's x positions are their order here */
    static SeriesReport series(String seriesId, List<InputRow> rows, BackfillJob.Result result) {
        int n = rows.size();
        long[] times = new long[n];
        double[] values = new double[n];
        double[][] means = new double[n][];
        double[][] spreads = new double[n][];
        boolean anySpread = false;
        double[] scores = new double[n];
        Map<Integer, Integer> local = new java.util.HashMap<>();
        long lastTime = 0;
        for (int i = 0; i < n; i++) {
            InputRow row = rows.get(i);
            // An unparsable row keeps its neighbour's time, so the time axis stays monotone where it can.
            lastTime = row.valid() ? row.epochMillis() : lastTime;
            times[i] = lastTime;
            values[i] = row.valid() ? row.value() : Double.NaN;
            means[i] = result.means()[row.index()];
            // A Gaussian head's forecasts carry their predicted spreads; point ones and persistence none.
            dev.forecaster.schema.Forecast f = result.forecasts()[row.index()];
            spreads[i] = f == null || f.getSpreads() == null ? null
                    : f.getSpreads().stream().mapToDouble(Double::doubleValue).toArray();
            anySpread |= spreads[i] != null;
            scores[i] = result.scores()[row.index()];
            local.put(row.index(), i);
        }
        List<AlertMark> alerts = new ArrayList<>();
        for (BackfillJob.RowAlert a : result.alerts()) {
            Integer at = local.get(a.row());
            if (at != null && a.alert().getSeriesId().equals(seriesId)) {
                alerts.add(new AlertMark(at, a.alert().getSeverity().name(), a.alert().getReason()));
            }
        }
        return SeriesReports.build(seriesId, times, values, means, anySpread ? spreads : null, scores, alerts);
    }

    public static void write(Path file, Path input, BackfillInput in, BackfillJob.Result result, double wallSeconds)
            throws IOException {
        write(file, input.toString(), input.getFileName().toString(), in, result, wallSeconds);
    }

    /**
     * @param input the input in full (a path, or a topic and its range)
     * @param title the input's short name, for the title
     */
    public static void write(Path file, String input, String title, BackfillInput in, BackfillJob.Result result,
            double wallSeconds) throws IOException {
        List<InputRow> rows = in.rows();
        List<SeriesReport> series = perSeries(rows, in.keyed(), result);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("input", input);
        facts.put("rows", rows.size() + " (" + rows.stream().filter(r -> !r.valid()).count() + " unparsable)");
        if (in.keyed()) {
            facts.put("series", Integer.toString(series.size()));
        }
        facts.put("model trainings", Long.toString(result.modelVersion()));
        facts.put("alerts", Integer.toString(result.alerts().size()));
        facts.put("wall time", String.format(java.util.Locale.ROOT, "%.1f s", wallSeconds));
        HtmlReport.write(file, "Backfill report: " + title, facts, series);
    }
}
