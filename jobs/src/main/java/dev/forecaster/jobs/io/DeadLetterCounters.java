package dev.forecaster.jobs.io;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import dev.forecaster.schema.DeadLetter;

/**
 * Counts an operator's dead letters per error category, as the metrics {@code
 * deadLettersMalformed}, {@code deadLettersInvalidValue} and {@code deadLettersLateEvent}: the
 * dead-letter topic says which records were set aside and why, these say how many, where a
 * dashboard or an alert rule can see them. All three are registered at once, so that a category
 * that never happened reads 0 rather than missing; a category added later gets its counter on first
 * use.
 */
public final class DeadLetterCounters {

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    public DeadLetterCounters(MetricGroup group) {
        this.group = group;
        for (String error : List.of(DeadLetters.MALFORMED, DeadLetters.INVALID_VALUE, DeadLetters.LATE_EVENT)) {
            counter(error);
        }
    }

    public void count(DeadLetter deadLetter) {
        counter(deadLetter.getError()).inc();
    }

    private Counter counter(String error) {
        return counters.computeIfAbsent(error, e -> group.counter(metricName(e)));
    }

    /** {@code deadLetters} and the category in camel case: LATE_EVENT → deadLettersLateEvent. */
    public static String metricName(String error) {
        StringBuilder name = new StringBuilder("deadLetters");
        for (String word : error.toLowerCase(java.util.Locale.ROOT).split("_")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }
}
