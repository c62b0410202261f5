package dev.forecaster.model.synth;

import java.util.Locale;

/**
 * Faults of the data rather than of the process it measures. They are labelled so that alerts on
 * them can be counted, but they are not anomalies to detect: the detector must tolerate them.
 */
public enum DataProblem {
    /** Points missing: the row after the gap is labelled. */
    GAP,
    /** A second row with the timestamp of the row before it (a redelivery or a re-reading). */
    DUPLICATE_TIMESTAMP,
    /** A row delivered one step late, after its successor: its timestamp steps back one step. */
    BACKWARD_STEP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
