package dev.forecaster.model.series;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * The per-key logic of the forecast operator, free of Flink so that the streaming job, the batch
 * backfill and tests all run the very same code: score the observation against the forecast the
 * key made one step earlier, advance the key's model one step, forecast the next H steps.
 *
 * <p>Observations are taken in the order given. Event time only feeds the step estimate: a
 * duplicate or backward timestamp is one more step of the series, and a gap is not filled in.
 *
 * <p>Holds no per-key data; like {@link SeriesForecaster}, one instance serves one thread.
 */
public final class SeriesProcessor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelPolicy policy;
    private final AnomalyScorer scorer;
    private transient SeriesForecaster forecaster;

    public SeriesProcessor(ModelPolicy policy, AnomalyScorer scorer) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
    }

    public ModelPolicy policy() {
        return policy;
    }

    /** The result of one observation. */
    public record Step(double[] means, double anomalyScore, long modelVersion) {}

    public SeriesState newState() {
        SeriesState state = new SeriesState(
                new RecurrentState(new float[0][], new float[0][]), new SeriesScaler(), 0L);
        state.anomaly = scorer.newState();
        return state;
    }

    /**
     * Consumes one observation of the key whose state this is.
     *
     * @throws IllegalArgumentException when {@code value} is not finite; the state is unchanged
     */
    public Step observe(SeriesState state, long eventTime, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Non-finite value " + value);
        }
        double residual = state.lastForecast.length > 0 ? value - state.lastForecast[0] : Double.NaN;
        double score = scorer.score(state.anomaly, residual, state.scaler.scale());

        LstmForecaster model = policy.prepare(state);
        double[] means;
        if (model == null) {
            // No model yet: persistence, the forecast that needs no training.
            state.scaler.update(value);
            means = new double[policy.horizon()];
            Arrays.fill(means, value);
        } else {
            means = forecaster(model).observe(state.scaler, state.recurrent, value);
        }
        policy.observed(state, value);
        state.observations++;
        state.stepMillis = StepEstimator.next(state.stepMillis, state.lastEventTime, eventTime);
        state.lastEventTime = Math.max(state.lastEventTime, eventTime);
        state.lastForecast = means;
        return new Step(means, score, state.modelVersion);
    }

    private SeriesForecaster forecaster(LstmForecaster model) {
        if (forecaster == null || forecaster.kernel() != model) {
            forecaster = new SeriesForecaster(model);
        }
        return forecaster;
    }
}
