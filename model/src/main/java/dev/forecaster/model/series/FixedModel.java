package dev.forecaster.model.series;

import java.util.Objects;

import dev.forecaster.model.kernel.LstmForecaster;

/** Every key runs the same pre-trained model. */
final class FixedModel implements ModelPolicy {

    private static final long serialVersionUID = 1L;

    private final LstmForecaster model;

    FixedModel(LstmForecaster model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public int horizon() {
        return model.spec().horizon();
    }

    @Override
    public LstmForecaster prepare(SeriesState state) {
        if (state.modelVersion != model.version() || !state.recurrent.matches(model.spec())) {
            // Recurrent state computed by another model must not be fed to these weights; the
            // scaling statistics describe the series, not the model, so they stay (carried on with
            // this model's memory by SeriesForecaster, without a history to walk again).
            state.recurrent = model.newState();
            state.modelVersion = model.version();
        }
        return model;
    }
}
