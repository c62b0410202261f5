package dev.forecaster.model.quality;

import java.util.List;
import java.util.Locale;

/** Markdown tables of detection quality, as printed by {@code alert-quality} and kept in the docs. */
public final class QualityTable {

    private QualityTable() {}

    public static String markdown(QualityReport report) {
        StringBuilder b = new StringBuilder();
        b.append("| type | windows | hits | precision | recall | F1 | delay median | delay p90 | false alerts / 10k points |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TypeQuality t : report.types()) {
            row(b, t.type(), t);
        }
        row(b, "**all**", report.overall());
        b.append(String.format(Locale.ROOT,
                "%nfalse alerts: %d over %d points (%d of them within %d rows after a data problem); "
                        + "repeat detections inside an already hit window: %d%n",
                report.overall().falseAlerts(), report.overall().points(), report.falseAlertsNearDataProblems(),
                report.tolerance(), report.repeats()));
        double[] rates = report.sortedSeriesRates();
        if (rates.length > 0) {
            b.append(String.format(Locale.ROOT, "false alerts / 10k points per series: min %.1f, median %.1f, max %.1f%n",
                    rates[0], rates[(rates.length - 1) / 2], rates[rates.length - 1]));
        }
        return b.toString();
    }

    /**
     * Recall of each type's smaller and larger anomalies (split at the median of the labels'
     * magnitudes, the median going to the smaller half): where detection gives out.
     */
    public static String byMagnitude(QualityReport report) {
        StringBuilder b = new StringBuilder();
        b.append("| type | median magnitude | recall below or at it | recall above it |\n");
        b.append("|---|---:|---:|---:|\n");
        for (TypeQuality t : report.types()) {
            List<QualityReport.WindowOutcome> w = report.windows().stream()
                    .filter(o -> o.window().type().equals(t.type()) && !Double.isNaN(o.window().magnitude()))
                    .sorted(java.util.Comparator.comparingDouble(o -> o.window().magnitude()))
                    .toList();
            if (w.isEmpty()) {
                continue;
            }
            int half = (w.size() + 1) / 2;
            double median = w.get(half - 1).window().magnitude();
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s |%n", t.type(), median,
                    fixed(recall(w.subList(0, half)), 2), fixed(recall(w.subList(half, w.size())), 2)));
        }
        return b.toString();
    }

    private static double recall(List<QualityReport.WindowOutcome> windows) {
        return windows.isEmpty() ? Double.NaN
                : windows.stream().filter(QualityReport.WindowOutcome::hit).count() / (double) windows.size();
    }

    private static void row(StringBuilder b, String name, TypeQuality t) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |%n", name, t.windows(), t.hits(),
                fixed(t.precision(), 2), fixed(t.recall(), 2), fixed(t.f1(), 2), fixed(t.medianDelay(), 0),
                fixed(t.p90Delay(), 0), fixed(t.falseAlertsPer10k(), 1)));
    }

    public static String curve(List<ThresholdCurve.Point> points) {
        StringBuilder b = new StringBuilder();
        b.append("| score threshold | precision | recall | F1 | delay median | false alerts / 10k points |\n");
        b.append("|---:|---:|---:|---:|---:|---:|\n");
        for (ThresholdCurve.Point p : points) {
            TypeQuality t = p.overall();
            b.append(String.format(Locale.ROOT, "| %.3f | %s | %s | %s | %s | %s |%n", p.threshold(), fixed(t.precision(), 2),
                    fixed(t.recall(), 2), fixed(t.f1(), 2), fixed(t.medianDelay(), 0), fixed(t.falseAlertsPer10k(), 1)));
        }
        return b.toString();
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
