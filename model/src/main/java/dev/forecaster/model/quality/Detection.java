package dev.forecaster.model.quality;

import java.util.Objects;

/**
 * One detection a detector reported: the row of a series at which it started (an alert raised, or
 * a score crossing a threshold). A detection is an episode, counted once however long it lasts.
 *
 * @param row 0-based data row of the series
 * @param severity the detector's severity, or empty when it has none (a plain threshold)
 */
public record Detection(String series, int row, String severity) {

    public Detection {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(severity, "severity");
        if (row < 0) {
            throw new IllegalArgumentException("row must be >= 0, was " + row);
        }
    }

    public Detection(String series, int row) {
        this(series, row, "");
    }
}
