package dev.forecaster.jobs.forecast;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import dev.forecaster.jobs.io.DeadLetterCounters;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.AlertSeverity;

/**
 * What a forecast operator counts beside Flink's own record counts: the alerts it emits, by
 * severity ({@code alertsWarning}, {@code alertsCritical}), and the records it dead-letters
 * ({@link DeadLetterCounters}; here, observations too late for their series).
 */
final class ForecastMetrics {

    private final Counter warnings;
    private final Counter criticals;
    private final DeadLetterCounters deadLetters;

    ForecastMetrics(MetricGroup group) {
        warnings = group.counter("alertsWarning");
        criticals = group.counter("alertsCritical");
        deadLetters = new DeadLetterCounters(group);
    }

    void alert(AnomalyAlert alert) {
        (alert.getSeverity() == AlertSeverity.CRITICAL ? criticals : warnings).inc();
    }

    void deadLetter(DeadLetter deadLetter) {
        deadLetters.count(deadLetter);
    }
}
