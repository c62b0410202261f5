package dev.forecaster.model.synth;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of anomaly the generator injects and the quality report scores, one row each. */
public enum AnomalyType {
    SPIKE,
    DIP,
    LEVEL_SHIFT,
    TREND_CHANGE,
    VARIANCE_CHANGE,
    FLAT_LINE,
    SEASONAL_BREAK;

    /** The name in label files and reports, e.g. {@code level_shift}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known labels */
    public static AnomalyType parse(String label) {
        for (AnomalyType t : values()) {
            if (t.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown anomaly type '" + label + "'; known: "
                + String.join(",", Arrays.stream(values()).map(AnomalyType::label).toList()));
    }
}
