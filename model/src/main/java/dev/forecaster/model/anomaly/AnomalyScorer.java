package dev.forecaster.model.anomaly;

import java.io.Serializable;

/**
 * Scores each observation of a series by how unlikely its recent forecast errors are, relative to
 * that same series' own history, so that one threshold means the same on a quiet and on a noisy
 * series.
 *
 * <ol>
 *   <li><b>Surprise.</b> The one-step residual (observation minus the forecast made one step
 *       earlier) is standardised with an exponentially weighted mean and variance of the series'
 *       recent residuals, and turned into {@code -ln} of its two-sided normal tail probability.
 *       Under well-calibrated residuals that is Exp(1)-distributed whatever the series' units.
 *       Residuals enter the spread estimate winsorised, so one spike does not blind the scorer
 *       to the next.
 *   <li><b>Likelihood.</b> The mean surprise of the last {@code shortWindow} points (weighted
 *       towards the newest) is compared with the long-run distribution of that mean
 *       (exponentially weighted over about {@code longSpan} points, winsorised): a standard
 *       score, and the normal tail probability of it in either direction. The upper tail catches spikes, level shifts, variance increases and
 *       broken seasonality (the forecast stops fitting); the lower tail catches a series going
 *       flat or far more regular than it has been (the forecast fits too well).
 *   <li><b>Score.</b> {@code 1 - exp(ln(tail) / ln(1e4))} = {@code 1 - tail^(1/ln 1e4)}: 0.07 for
 *       a tail probability of 0.5, 0.28 for 0.05, 0.63 for 1e-4, 0.92 for 1e-10, approaching 1.
 *       Working from the log keeps the very rare ordered among themselves.
 * </ol>
 *
 * <p>The score is 0 while the statistics warm up: the first {@code minResiduals} residuals only
 * seed the spread, and the first {@code minWindows} window means only seed the long-run
 * distribution. Everything depends on the series' past alone, so scores are causal and
 * deterministic.
 */
public final class AnomalyScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Surprises are capped so that one absurd value cannot dominate the window mean forever. */
    static final double MAX_SURPRISE = 50.0;
    /** Residuals beyond this many spreads enter the spread estimate clipped to it. */
    static final double RESIDUAL_WINSOR = 4.0;
    /** Window means beyond this many standard deviations enter the long run clipped to it. */
    static final double WINDOW_WINSOR = 3.0;
    /** Tail surprise that scores 1 - 1/e (a tail probability of 1e-4); see {@link #toScore}. */
    static final double SCORE_SCALE = Math.log(1e4);
    /** Weight of each older point of the short window relative to the next newer one. */
    static final double RECENCY = 0.8;

    private final int shortWindow;
    private final int residualSpan;
    private final int longSpan;
    private final int minResiduals;
    private final int minWindows;

    public AnomalyScorer(int shortWindow, int residualSpan, int longSpan, int minResiduals, int minWindows) {
        if (shortWindow <= 0 || residualSpan <= 0 || longSpan <= 0 || minResiduals < 2 || minWindows < 2) {
            throw new IllegalArgumentException("windows must be positive and warm-ups at least 2");
        }
        this.shortWindow = shortWindow;
        this.residualSpan = residualSpan;
        this.longSpan = longSpan;
        this.minResiduals = minResiduals;
        this.minWindows = minWindows;
    }

    /** A 10-point short window, residual spread over ~100 points, long run over ~1000. */
    public static AnomalyScorer defaults() {
        return new AnomalyScorer(10, 100, 1000, 20, 30);
    }

    public AnomalyState newState() {
        return new AnomalyState(shortWindow);
    }

    /** Observations before the first score can be non-zero (the first has no forecast to miss). */
    public int warmup() {
        return 1 + minResiduals + minWindows;
    }

    /**
     * Scores one observation and folds it into {@code state}.
     *
     * @param residual observed minus forecast value; NaN when there was no forecast (the score is
     *     then 0 and the state unchanged)
     * @param scale the series' typical magnitude of variation, so that the spread of an exactly
     *     predictable series has a floor in the series' own units
     * @return the anomaly score in [0, 1]
     */
    public double score(AnomalyState state, double residual, double scale) {
        if (!Double.isFinite(residual)) {
            return 0.0;
        }
        if (state.recentSurprises.length != shortWindow) {
            // A state from a scorer with another window: keep its residual statistics only.
            state.recentSurprises = new double[shortWindow];
            state.surpriseCount = 0;
        }
        double spreadFloor = 1e-6 * (Double.isFinite(scale) && scale > 0 ? scale : 1.0);
        double sd = Math.max(Math.sqrt(state.residualVar), spreadFloor);
        boolean residualsWarm = state.residuals >= minResiduals;
        double surprise = 0.0;
        double forStats = residual;
        if (residualsWarm) {
            double z = (residual - state.residualMean) / sd;
            surprise = Math.min(MAX_SURPRISE, Tails.twoSidedSurprise(z));
            forStats = clamp(residual, state.residualMean, RESIDUAL_WINSOR * sd);
        }
        state.residuals++;
        double alpha = Math.max(1.0 / state.residuals, 1.0 / residualSpan);
        double delta = forStats - state.residualMean;
        state.residualMean += alpha * delta;
        state.residualVar = (1 - alpha) * (state.residualVar + alpha * delta * delta);
        if (!residualsWarm) {
            return 0.0;
        }

        state.recentSurprises[(int) (state.surpriseCount % shortWindow)] = surprise;
        state.surpriseCount++;
        double windowMean = recentMean(state);

        double score = 0.0;
        double windowSd = Math.sqrt(state.windowVar);
        if (state.windows >= minWindows) {
            double z = (windowMean - state.windowMean) / Math.max(windowSd, 1e-9);
            score = toScore(Math.max(Tails.upperSurprise(z), Tails.upperSurprise(-z)));
        }
        double windowForStats = state.windows >= minWindows
                ? clamp(windowMean, state.windowMean, WINDOW_WINSOR * windowSd)
                : windowMean;
        state.windows++;
        double beta = Math.max(1.0 / state.windows, 1.0 / longSpan);
        double d = windowForStats - state.windowMean;
        state.windowMean += beta * d;
        state.windowVar = (1 - beta) * (state.windowVar + beta * d * d);
        return score;
    }

    /**
     * Mean of the short window, each point weighing {@link #RECENCY} times the next newer one, so
     * that the score peaks at an anomaly's first point and decays after it rather than standing
     * on a plateau for a whole window.
     */
    private double recentMean(AnomalyState state) {
        int n = (int) Math.min(state.surpriseCount, shortWindow);
        double sum = 0;
        double weights = 0;
        double w = 1;
        for (int age = 0; age < n; age++) {
            int slot = (int) ((state.surpriseCount - 1 - age) % shortWindow);
            sum += w * state.recentSurprises[slot];
            weights += w;
            w *= RECENCY;
        }
        return sum / weights;
    }

    /**
     * Maps a tail surprise (-ln of a tail probability) into [0, 1): monotone, so that the rare are
     * still ordered among themselves, with 1 - 1/e at a tail probability of 1e-4, 0.92 at 1e-10
     * and 0.07 at 0.5.
     */
    static double toScore(double tailSurprise) {
        return -Math.expm1(-tailSurprise / SCORE_SCALE);
    }

    private static double clamp(double x, double centre, double halfWidth) {
        return Math.max(centre - halfWidth, Math.min(centre + halfWidth, x));
    }
}
