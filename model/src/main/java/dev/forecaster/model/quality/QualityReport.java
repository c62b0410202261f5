package dev.forecaster.model.quality;

import java.util.List;

/**
 * Result of {@link QualityEvaluator#evaluate}.
 *
 * @param types one row per anomaly type, in the order the labels first name them; false alerts
 *     and points of the series whose anomalies are all of that type
 * @param overall all windows, all false alerts, all points
 * @param repeats detections inside a window that was already hit (neither hits nor false alerts)
 * @param falseAlertsNearDataProblems false alerts at or within the tolerance after a data problem
 * @param tolerance rows after a window's end within which a detection still counts as a hit
 */
public record QualityReport(List<TypeQuality> types, TypeQuality overall, int repeats, int falseAlertsNearDataProblems,
        int tolerance) {

    public QualityReport {
        types = List.copyOf(types);
    }

    /** The row of one type; throws when the labels had none of it. */
    public TypeQuality type(String type) {
        return types.stream().filter(t -> t.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no anomaly of type " + type));
    }
}
