package dev.forecaster.jobs.demo;

import java.util.HashMap;
import java.util.Map;

import dev.forecaster.schema.Forecast;

/**
 * Scores one-step-ahead forecasts against the values that followed, next to a persistence
 * forecast (the last value) over exactly the same pairs.
 */
public final class ForecastScore {

    private final GroundTruth truth;
    private final Map<String, Forecast> previous = new HashMap<>();
    private final Map<String, Double> lastError = new HashMap<>();
    private double modelAbsError;
    private double persistenceAbsError;
    private long pairs;

    public ForecastScore(GroundTruth truth) {
        this.truth = truth;
    }

    public void accept(Forecast forecast) {
        String key = forecast.getSeriesId();
        Forecast prev = previous.put(key, forecast);
        if (prev == null || prev.getMeans().isEmpty()) {
            return;
        }
        long prevOrigin = prev.getOriginTime().toEpochMilli();
        long origin = forecast.getOriginTime().toEpochMilli();
        if (prev.getStepMillis() <= 0 || origin != prevOrigin + prev.getStepMillis()) {
            return; // a gap: the one-step forecast did not target this observation
        }
        double actual = truth.value(key, origin);
        double before = truth.value(key, prevOrigin);
        if (Double.isNaN(actual) || Double.isNaN(before)) {
            return;
        }
        double error = Math.abs(prev.getMeans().get(0) - actual);
        modelAbsError += error;
        persistenceAbsError += Math.abs(before - actual);
        lastError.put(key, error);
        pairs++;
    }

    public double modelMae() {
        return pairs == 0 ? Double.NaN : modelAbsError / pairs;
    }

    public double persistenceMae() {
        return pairs == 0 ? Double.NaN : persistenceAbsError / pairs;
    }

    public long pairs() {
        return pairs;
    }

    public Forecast lastForecast(String key) {
        return previous.get(key);
    }

    public double lastError(String key) {
        return lastError.getOrDefault(key, Double.NaN);
    }
}
