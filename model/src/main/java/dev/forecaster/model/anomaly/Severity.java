package dev.forecaster.model.anomaly;

/** How strongly an alert's anomaly likelihood exceeded the policy's thresholds. */
public enum Severity {
    /** At or above the warning threshold. */
    WARNING,
    /** At or above the critical threshold. */
    CRITICAL
}
