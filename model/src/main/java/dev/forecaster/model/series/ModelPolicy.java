package dev.forecaster.model.series;

import java.io.Serializable;

import dev.forecaster.model.kernel.LstmForecaster;

/**
 * Where a key's model comes from: one shared, pre-trained model (the streaming job), or a model
 * each key trains on its own history as it goes (backfill from a cold start).
 */
public interface ModelPolicy extends Serializable {

    /** Forecast steps per observation. */
    int horizon();

    /**
     * The model the key's next observation goes through, with {@code state.recurrent} and {@code
     * state.modelVersion} made to belong to it; null while the key has no model yet (the caller
     * then forecasts the last value). May train, so it can be slow on the observations where a
     * schedule says so. The observation itself is not yet in {@code state}.
     */
    LstmForecaster prepare(SeriesState state);

    /** After the key consumed {@code value}, observed at {@code eventTime}. */
    default void observed(SeriesState state, long eventTime, double value) {}

    static ModelPolicy fixed(LstmForecaster model) {
        return new FixedModel(model);
    }
}
