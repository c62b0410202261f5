package dev.forecaster.model.synth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link StreamGenerator}.
 *
 * @param keys series to generate; key k carries anomalies of {@code types[k % types.size()]} only,
 *     so that the false alerts of a key can be charged to one type
 * @param points grid points per series before data problems; on a real base 0 means all its rows
 * @param seed everything random derives from it
 * @param start time of the first grid point (synthetic bases; a real base keeps its own times)
 * @param step grid step (synthetic bases); must divide a day
 * @param types anomaly types to inject
 * @param anomaliesPerKey anomalies per series; 0 = one per ten days of data after the quiet start
 * @param problemsPerKind data problems of each kind per series; -1 = one per 800 points, 0 = none
 * @param quietFraction leading share of each series without anomalies, so a cold-started detector
 *     can learn what normal is
 */
public record GeneratorOptions(int keys, int points, long seed, Instant start, Duration step, List<AnomalyType> types,
        int anomaliesPerKey, int problemsPerKind, double quietFraction) {

    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    public GeneratorOptions {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        types = List.copyOf(types);
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
        if (points < 0) {
            throw new IllegalArgumentException("points must be >= 0, was " + points);
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one anomaly type is needed");
        }
        if (anomaliesPerKey < 0) {
            throw new IllegalArgumentException("anomalies per key must be >= 0 (0 = automatic), was " + anomaliesPerKey);
        }
        if (problemsPerKind < -1) {
            throw new IllegalArgumentException("data problems per kind must be >= 0, or -1 for automatic");
        }
        if (!(quietFraction >= 0 && quietFraction < 0.9)) {
            throw new IllegalArgumentException("quiet fraction must be in [0, 0.9), was " + quietFraction);
        }
        if (step.isNegative() || step.isZero() || Duration.ofDays(1).toMillis() % step.toMillis() != 0) {
            throw new IllegalArgumentException("step must be positive and divide a day, was " + step);
        }
    }

    /** One key per anomaly type, 4000 hourly points, automatic anomaly and problem counts. */
    public static GeneratorOptions defaults(long seed) {
        return new GeneratorOptions(AnomalyType.values().length, 4000, seed, DEFAULT_START, Duration.ofHours(1),
                List.of(AnomalyType.values()), 0, -1, 0.15);
    }

    public GeneratorOptions withKeys(int k) {
        return new GeneratorOptions(k, points, seed, start, step, types, anomaliesPerKey, problemsPerKind, quietFraction);
    }

    public GeneratorOptions withPoints(int p) {
        return new GeneratorOptions(keys, p, seed, start, step, types, anomaliesPerKey, problemsPerKind, quietFraction);
    }

    public GeneratorOptions withTypes(List<AnomalyType> t) {
        return new GeneratorOptions(keys, points, seed, start, step, t, anomaliesPerKey, problemsPerKind, quietFraction);
    }

    public GeneratorOptions withCounts(int anomalies, int problems) {
        return new GeneratorOptions(keys, points, seed, start, step, types, anomalies, problems, quietFraction);
    }

    /** The anomaly type of key {@code k}. */
    public AnomalyType typeOf(int k) {
        return types.get(k % types.size());
    }
}
