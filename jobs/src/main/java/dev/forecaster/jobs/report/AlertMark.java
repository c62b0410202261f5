package dev.forecaster.jobs.report;

/**
 * An alert to mark on a series' chart.
 *
 * @param index the row (position in the series) the alert was raised at
 * @param severity e.g. {@code WARNING} or {@code CRITICAL}
 * @param reason shown when the marker is hovered
 */
public record AlertMark(int index, String severity, String reason) {

    public boolean critical() {
        return "CRITICAL".equalsIgnoreCase(severity);
    }
}
