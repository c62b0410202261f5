package dev.forecaster.jobs.io;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.Observation;

/** Checks that a decoded observation can be used, and says why when it cannot. */
public final class ObservationValidator {

    private ObservationValidator() {}

    /** @return null when the observation is valid, otherwise the reason it is not */
    public static String problem(Observation obs, byte[] key) {
        if (obs.getSeriesId() == null || obs.getSeriesId().isBlank()) {
            return "series id is empty";
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
                return "Kafka key '" + keyText + "' does not match series id '" + obs.getSeriesId() + "'";
            }
        }
        Map<String, Double> features = obs.getFeatures();
        if (features != null) {
            for (Map.Entry<String, Double> f : features.entrySet()) {
                if (f.getValue() == null || !Double.isFinite(f.getValue())) {
                    return "feature '" + f.getKey() + "' is not finite: " + f.getValue();
                }
                if (!SeriesScaler.accepts(f.getValue())) {
                    return "feature '" + f.getKey() + "' is beyond ±" + SeriesScaler.MAX_MAGNITUDE + ": " + f.getValue();
                }
            }
        }
        return null;
    }
}
