package dev.forecaster.model.quality;

import java.util.Locale;
import java.util.Objects;

/**
 * A labelled stretch of one series: an anomaly a detector should report, or a data problem it
 * should tolerate. Rows are 0-based data rows of that series alone, in the order it arrives (the
 * rows of its single-series file), {@code endRow} inclusive.
 *
 * @param type e.g. {@code spike} or {@code gap}
 * @param startMillis time of the first labelled point (for a gap: of the first missing point)
 * @param endMillis time of the last labelled point (for a gap: of the last missing point)
 * @param magnitude the size of what was injected, in the unit its type documents; NaN if unknown
 */
public record Label(String series, String type, Category category, int startRow, int endRow, long startMillis,
        long endMillis, double magnitude) {

    public enum Category {
        ANOMALY,
        DATA_PROBLEM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Category parse(String text) {
            for (Category c : values()) {
                if (c.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown label category '" + text + "'; known: anomaly, data_problem");
        }
    }

    public Label {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(category, "category");
        if (startRow < 0 || endRow < startRow) {
            throw new IllegalArgumentException("label rows must satisfy 0 <= start <= end, were " + startRow + ".." + endRow);
        }
    }

    public boolean isAnomaly() {
        return category == Category.ANOMALY;
    }

    /** Rows the label covers. */
    public int length() {
        return endRow - startRow + 1;
    }
}
