package dev.forecaster.model.interpolation;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.anomaly.AnomalyState;

import java.util.Objects;

/**
 * Anomaly scores from a bidirectional interpolation model (NON-CAUSAL: a row's score depends on
 * rows after it; for offline backfill only). The residual of row t is x_t minus its interpolation
 * from both sides; the residuals then go through the same {@link AnomalyScorer} as the causal
 * path's one-step residuals, so scores are in [0, 1] and a threshold means the same.
 *
 * <p>The scorer's statistics warm up over its first rows; offline there is no need to leave those
 * rows unscored, so the scorer is first primed with one pass over all the series' residuals, and
 * then scores every row from that state, its short window emptied so that no row's score borrows
 * the series' last surprises.
 */
public final class InterpolationScoring {

    /** Per row: the estimate and the anomaly score; and how the model was trained. */
    public record Result(double[] estimates, double[] scores, InterpolationModel.Training training) {}

    private final InterpolationOptions opts;
    private final AnomalyScorer scorer;

    public InterpolationScoring(InterpolationOptions opts, AnomalyScorer scorer) {
        this.opts = Objects.requireNonNull(opts, "opts");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
    }

    /**
     * Trains a model on {@code values} and scores every one of them. Fewer than {@link
     * InterpolationOptions#MIN_ROWS} values are not enough to learn from: they score 0.
     */
    public Result score(double[] values, long seed) {
        if (values.length < InterpolationOptions.MIN_ROWS) {
            double[] none = new double[values.length];
            return new Result(values.clone(), none, new InterpolationModel.Training(0, Double.NaN));
        }
        InterpolationModel model = InterpolationModel.train(values, opts, seed);
        double[] estimates = model.estimate(values);
        return new Result(estimates, scores(values, estimates, model.sd()), model.training());
    }

    /** The scores of residuals {@code values - estimates}, {@code scale} being the series' spread. */
    public double[] scores(double[] values, double[] estimates, double scale) {
        double[] residuals = new double[values.length];
        for (int t = 0; t < values.length; t++) {
            residuals[t] = values[t] - estimates[t];
        }
        AnomalyState state = scorer.newState();
        for (double r : residuals) {
            scorer.score(state, r, scale);
        }
        state.recentSurprises = new double[state.recentSurprises.length];
        state.surpriseCount = 0;
        double[] scores = new double[values.length];
        for (int t = 0; t < values.length; t++) {
            scores[t] = scorer.score(state, residuals[t], scale);
        }
        return scores;
    }
}
