package dev.forecaster.model.series;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.anomaly.Alert;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * The per-key logic of the forecast operator, free of Flink so that the streaming job, the batch
 * backfill and tests all run the very same code: score the observation against the forecast the
 * key made one step earlier, decide whether that raises an alert, advance the key's model one step,
 * forecast the next H steps.
 *
 * <p>Observations are taken in the order given. Event time feeds the step estimate and decides
 * which forecast targeted an observation: a duplicate or backward timestamp is one more step of the
 * series, scored against the one-step forecast; after a gap (an interval of 1.5 steps or more) no
 * one-step forecast targeted the observation, so it is not scored (score 0, scorer state unchanged)
 * and cannot raise an alert. The model still steps once per observation; a gap is not filled in.
 *
 * <p>Holds no per-key data; like {@link SeriesForecaster}, one instance serves one thread.
 */
public final class SeriesProcessor implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double[] NO_SPREADS = new double[0];

    private final ModelPolicy policy;
    private final AnomalyScorer scorer;
    private final AlertPolicy alerts;
    private transient SeriesForecaster forecaster;

    /** With the default alert policy. */
    public SeriesProcessor(ModelPolicy policy, AnomalyScorer scorer) {
        this(policy, scorer, AlertPolicy.defaults());
    }

    public SeriesProcessor(ModelPolicy policy, AnomalyScorer scorer, AlertPolicy alerts) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    public ModelPolicy policy() {
        return policy;
    }

    public AlertPolicy alerts() {
        return alerts;
    }

    /**
     * The result of one observation.
     *
     * @param means the forecast of the next H steps
     * @param spreads the predicted standard deviation of each of those steps, when the model has a
     *     probabilistic head; null otherwise (persistence, point heads)
     * @param anomalyScore the observation's anomaly likelihood in [0, 1]
     * @param modelVersion the model that forecast
     * @param alert the alert this observation raised, or null
     */
    public record Step(double[] means, double[] spreads, double anomalyScore, long modelVersion, Alert alert) {}

    public SeriesState newState() {
        SeriesState state = new SeriesState(
                new RecurrentState(new float[0][], new float[0][]), new SeriesScaler(), 0L);
        state.anomaly = scorer.newState();
        state.alert = alerts.newState();
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
        boolean targeted = state.lastForecast.length > 0 && oneStepTargets(state, eventTime);
        double expected = targeted ? state.lastForecast[0] : Double.NaN;
        double predictedSpread = targeted && state.lastSpreads.length > 0 ? state.lastSpreads[0] : Double.NaN;
        AnomalyScorer.Assessment assessment =
                scorer.assess(state.anomaly, value - expected, state.scaler.scale(), predictedSpread);
        // The bounds use the spread the surprise was measured against (AnomalyScorer says which).
        // The model that made the forecast is the one the state belongs to before this observation.
        Alert alert = alerts.observe(state.alert, new AlertPolicy.Point(
                eventTime, value, expected, assessment.spread(), state.modelVersion, assessment));

        LstmForecaster model = policy.prepare(state);
        double[] means;
        double[] spreads = null;
        if (model == null) {
            // No model yet: persistence, the forecast that needs no training.
            state.scaler.update(value);
            means = new double[policy.horizon()];
            Arrays.fill(means, value);
        } else {
            SeriesForecaster.Prediction p = forecaster(model).predict(state.scaler, state.recurrent, eventTime, value);
            means = p.means();
            spreads = p.spreads();
        }
        policy.observed(state, eventTime, value);
        state.observations++;
        state.stepMillis = StepEstimator.next(state.stepMillis, state.lastEventTime, eventTime);
        state.lastEventTime = Math.max(state.lastEventTime, eventTime);
        state.lastForecast = means;
        state.lastSpreads = spreads == null ? NO_SPREADS : spreads;
        return new Step(means, spreads, assessment.likelihood(), state.modelVersion, alert);
    }

    /**
     * Whether the one-step forecast made at the key's last observation targeted this event time:
     * true unless the interval since is nearer two steps or more than one. Without a step estimate
     * yet, or for a duplicate or backward timestamp, the one-step forecast is the nearest there is.
     */
    static boolean oneStepTargets(SeriesState state, long eventTime) {
        if (state.stepMillis <= 0 || state.lastEventTime == Long.MIN_VALUE) {
            return true;
        }
        long interval = eventTime - state.lastEventTime;
        return interval < state.stepMillis + (state.stepMillis + 1) / 2;
    }

    private SeriesForecaster forecaster(LstmForecaster model) {
        if (forecaster == null || forecaster.kernel() != model) {
            forecaster = new SeriesForecaster(model);
        }
        return forecaster;
    }
}
