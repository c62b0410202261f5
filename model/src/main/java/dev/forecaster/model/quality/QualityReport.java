package dev.forecaster.model.quality;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of {@link QualityEvaluator#evaluate}.
 *
 * @param types one row per anomaly type, in the order the labels first name them; false alerts
 *     and points of the series whose anomalies are all of that type
 * @param overall all windows, all false alerts, all points
 * @param repeats detections inside a window that was already hit (neither hits nor false alerts)
 * @param falseAlertsNearDataProblems false alerts at or within the tolerance after a data problem
 * @param tolerance rows after a window's end within which a detection still counts as a hit
 * @param falseAlertsPer10kBySeries each series' own false alert rate: similar rates on series of
 *     different levels and noise are what a calibrated score gives
 * @param windows every anomaly window and how it fared
 */
public record QualityReport(List<TypeQuality> types, TypeQuality overall, int repeats, int falseAlertsNearDataProblems,
        int tolerance, Map<String, Double> falseAlertsPer10kBySeries, List<WindowOutcome> windows) {

    /** One anomaly window: its first detection's delay in rows, or -1 when it was missed. */
    public record WindowOutcome(Label window, int delay) {
        public boolean hit() {
            return delay >= 0;
        }
    }

    public QualityReport {
        types = List.copyOf(types);
        windows = List.copyOf(windows);
        falseAlertsPer10kBySeries = Collections.unmodifiableMap(new LinkedHashMap<>(falseAlertsPer10kBySeries));
    }

    /** The per-series false alert rates, ascending. */
    public double[] sortedSeriesRates() {
        return falseAlertsPer10kBySeries.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** The row of one type; throws when the labels had none of it. */
    public TypeQuality type(String type) {
        return types.stream().filter(t -> t.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no anomaly of type " + type));
    }
}
