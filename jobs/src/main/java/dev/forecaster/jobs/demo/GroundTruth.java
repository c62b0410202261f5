package dev.forecaster.jobs.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The values the demo produced, by series and event time, to score forecasts against. */
public final class GroundTruth {

    private final Map<String, Map<Long, Double>> values = new ConcurrentHashMap<>();

    public void record(String series, long eventTime, double value) {
        values.computeIfAbsent(series, k -> new ConcurrentHashMap<>()).put(eventTime, value);
    }

    /** @return the value, or NaN when none was produced at that time */
    public double value(String series, long eventTime) {
        Map<Long, Double> byTime = values.get(series);
        if (byTime == null) {
            return Double.NaN;
        }
        Double v = byTime.get(eventTime);
        return v == null ? Double.NaN : v;
    }
}
