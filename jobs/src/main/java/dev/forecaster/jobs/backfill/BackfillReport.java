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

    public static SeriesReport series(List<InputRow> rows, BackfillJob.Result result) {
        int n = rows.size();
        long[] times = new long[n];
        double[] values = new double[n];
        long lastTime = 0;
        for (int i = 0; i < n; i++) {
            InputRow row = rows.get(i);
            // An unparsable row keeps its neighbour's time, so the time axis stays monotone where it can.
            lastTime = row.valid() ? row.epochMillis() : lastTime;
            times[i] = lastTime;
            values[i] = row.valid() ? row.value() : Double.NaN;
        }
        List<AlertMark> alerts = new ArrayList<>();
        for (BackfillJob.RowAlert a : result.alerts()) {
            alerts.add(new AlertMark(a.row(), a.alert().getSeverity().name(), a.alert().getReason()));
        }
        return SeriesReports.build(BackfillJob.SERIES_ID, times, values, result.means(), null, result.scores(), alerts);
    }

    public static void write(Path file, Path input, List<InputRow> rows, BackfillJob.Result result, double wallSeconds)
            throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("input", input.toString());
        facts.put("rows", rows.size() + " (" + rows.stream().filter(r -> !r.valid()).count() + " unparsable)");
        facts.put("model trainings", Long.toString(result.modelVersion()));
        facts.put("alerts", Integer.toString(result.alerts().size()));
        facts.put("wall time", String.format(java.util.Locale.ROOT, "%.1f s", wallSeconds));
        HtmlReport.write(file, "Backfill report: " + input.getFileName(), facts, List.of(series(rows, result)));
    }
}
