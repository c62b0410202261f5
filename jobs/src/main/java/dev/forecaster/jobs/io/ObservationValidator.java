package dev.forecaster.jobs.io;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.Observation;

/** Checks that a decoded observation can be used, and says why when it cannot. */
public final class ObservationValidator {

    /**
     * Longest series id, in chars. Every forecast and alert carries its series id twice (Kafka key
     * and value); an id of hundreds of kilobytes would make them larger than a producer may send
     * (max.request.size, 1 MiB by default), the sink would fail the job, and the restart would meet
     * the same record again, forever.
     */
    public static final int MAX_SERIES_ID_CHARS = 1024;
    /** How much of a user's string a reason quotes. */
    private static final int QUOTED_CHARS = 200;

    private ObservationValidator() {}

    /** @return null when the observation is valid, otherwise the reason it is not */
    public static String problem(Observation obs, byte[] key) {
        if (obs.getSeriesId() == null || obs.getSeriesId().isBlank()) {
            return "series id is empty";
        }
        if (obs.getSeriesId().length() > MAX_SERIES_ID_CHARS) {
            return "series id has " + obs.getSeriesId().length() + " chars, more than " + MAX_SERIES_ID_CHARS + ": '"
                    + quoted(obs.getSeriesId()) + "'";
        }
        if (!Double.isFinite(obs.getValue())) {
            return "value is not finite: " + obs.getValue();
        }
        if (!SeriesScaler.accepts(obs.getValue())) {
            return "value " + obs.getValue() + " is beyond ±" + SeriesScaler.MAX_MAGNITUDE;
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!keyText.equals(obs.getSeriesId())) {
                // A mismatched key breaks per-series ordering across partitions.
                return "Kafka key '" + quoted(keyText) + "' does not match series id '" + quoted(obs.getSeriesId()) + "'";
            }
        }
        Map<String, Double> features = obs.getFeatures();
        if (features != null) {
            for (Map.Entry<String, Double> f : features.entrySet()) {
                if (f.getValue() == null || !Double.isFinite(f.getValue())) {
                    return "feature '" + quoted(f.getKey()) + "' is not finite: " + f.getValue();
                }
                if (!SeriesScaler.accepts(f.getValue())) {
                    return "feature '" + quoted(f.getKey()) + "' is beyond ±" + SeriesScaler.MAX_MAGNITUDE + ": " + f.getValue();
                }
            }
        }
        return null;
    }

    /** {@code text}, or its start and its length when it is long: a reason must stay small. */
    static String quoted(String text) {
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "…(" + text.length() + " chars)";
    }
}
