package dev.forecaster.model;

import dev.forecaster.model.scaling.SeriesScaler;

/**
 * What a model's means forecast, in units of the series' running scale s_t ({@link
 * SeriesScaler#scale()}). The name is what snapshots record ({@code ArchitectureSpec.target}), so
 * constants must never be renamed; snapshots from before targets existed read as {@link #LEVEL}.
 *
 * <p>Training ({@code LstmTrainer}) and serving ({@code SeriesForecaster}) both go through {@link
 * #label} and {@link #mean}, so the two cannot disagree on the coordinates.
 */
public enum ForecastTarget {
    /**
     * The normalised value {@code (x_{t+k} - mean_t) / s_t}, clamped like every normalised value.
     * The network must carry the series' level through to every step; where the level moves away
     * from the running mean (a drifting sensor, a price), its one-step forecasts lose to the last
     * value.
     */
    LEVEL,
    /**
     * The change from the last value, {@code (x_{t+k} - x_t) / s_t}, clamped to ±{@link
     * SeriesScaler#CLAMP}: an output of 0 is persistence, so the network learns only what the
     * last value does not already say (as DeepAR-style and NLinear-style models do).
     */
    CHANGE;

    /**
     * The training label for {@code future}, k steps after {@code last}, with the statistics of
     * {@code scaler} at {@code last}'s step.
     */
    public double label(SeriesScaler scaler, double last, double future) {
        if (this == LEVEL) {
            return scaler.normalise(future);
        }
        return SeriesScaler.clamp((future - last) / scaler.scale());
    }

    /** The forecast in the series' units for a network output: the inverse of {@link #label}, unclamped. */
    public double mean(SeriesScaler scaler, double last, double output) {
        return this == LEVEL ? scaler.denormalise(output) : last + output * scaler.scale();
    }

    /** The output that forecasts persistence: the label of {@code future == last}. */
    public double persistence(SeriesScaler scaler, double last) {
        return label(scaler, last, last);
    }

    /** @throws IllegalArgumentException for a name this build does not know */
    public static ForecastTarget parse(CharSequence name) {
        String s = name.toString();
        for (ForecastTarget t : values()) {
            if (t.name().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown forecast target '" + s + "'; this build knows "
                + java.util.Arrays.toString(values()));
    }
}
