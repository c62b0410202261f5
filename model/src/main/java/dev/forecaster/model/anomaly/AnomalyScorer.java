package dev.forecaster.model.anomaly;

import java.io.Serializable;

/**
 * Scores each observation of a series by how unlikely its recent forecast errors are, relative to
 * that same series' own history, so that one threshold means the same on a quiet and on a noisy
 * series.
 *
 * <ol>
 *   <li><b>Surprise</b> (the raw score). The one-step residual (observation minus the forecast
 *       made one step earlier) is standardised with an exponentially weighted mean and variance of
 *       the series' recent residuals, and turned into {@code -ln} of its two-sided normal tail
 *       probability. Under well-calibrated residuals that is Exp(1)-distributed whatever the
 *       series' units. Residuals enter the spread estimate winsorised, so one spike does not blind
 *       the scorer to the next.
 *   <li><b>Likelihood.</b> The mean surprise of the last {@code shortWindow} points (weighted
 *       towards the newest) is compared with the long-run distribution of that mean
 *       (exponentially weighted over about {@code longSpan} points, winsorised), modelled as a
 *       gamma distribution with the same mean and variance: a weighted mean of Exp(1)-like
 *       surprises is right-skewed, and a normal would make moderately large windows look far rarer
 *       than they are. The smaller of its two tail probabilities is the evidence. The upper tail
 *       catches spikes, level shifts, variance increases and broken seasonality (the forecast stops
 *       fitting); the lower tail catches a series going flat or far more regular than it has been
 *       (the forecast fits too well).
 *   <li><b>Score.</b> {@code 1 - exp(ln(tail) / ln(1e4))} = {@code 1 - tail^(1/ln 1e4)}: 0.07 for
 *       a tail probability of 0.5, 0.28 for 0.05, 0.63 for 1e-4, 0.7 for 1.5e-5, 0.85 for 2.5e-8,
 *       0.92 for 1e-10, approaching 1. Working from the log keeps the very rare ordered among
 *       themselves.
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
    /**
     * Window means beyond this many standard deviations enter the long run clipped to it: one
     * anomaly then moves the long-run variance by a few percent at most, while a series with
     * heavy-tailed errors can still widen its own long run.
     */
    static final double WINDOW_WINSOR = 5.0;
    /** Tail surprise that scores 1 - 1/e (a tail probability of 1e-4); see {@link #toScore}. */
    static final double SCORE_SCALE = Math.log(1e4);
    /** Weight of each older point of the short window relative to the next newer one. */
    static final double RECENCY = 0.8;
    /**
     * Long-run mean surprise below which a key counts as exactly predictable: its forecast errors
     * have been negligible against their own spread floor.
     */
    static final double MIN_LONG_MEAN = 1e-3;
    /** Smallest coefficient of variation assumed for the window mean, so a spread of 0 stays finite. */
    static final double MIN_LONG_CV = 1e-2;
    /** Tail surprises are capped where probabilities underflow anyway (e^-700 is about 1e-304). */
    static final double MAX_TAIL_SURPRISE = 700.0;
    /** The gamma shape is capped where it is indistinguishable from a normal anyway. */
    static final double MAX_SHAPE = 1e4;

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
        return assess(state, residual, scale).likelihood();
    }

    /**
     * Scores one observation, folds it into {@code state} and says what the score is made of: the
     * raw surprise of this residual, the spread it was measured against, and which way the recent
     * errors depart from the long run.
     *
     * @param residual observed minus forecast value; NaN when there was no forecast (nothing is then
     *     scored and the state is unchanged)
     * @param scale the series' typical magnitude of variation, so that the spread of an exactly
     *     predictable series has a floor in the series' own units
     */
    public Assessment assess(AnomalyState state, double residual, double scale) {
        return assess(state, residual, scale, Double.NaN);
    }

    /**
     * As {@link #assess(AnomalyState, double, double)} for a forecast that predicted its own
     * standard deviation p (a Gaussian head): the residual is standardised by the root mean square
     * of p and the recent residual spread s, √((p² + s²)/2), instead of by s alone. Measured
     * against s alone, p alone and max(p, s) on the generated streams (docs/anomaly-quality.md),
     * the blend was best or equal on every overall figure: p alone trusts a cold-start model's
     * spread too far (more false alerts, fewer hits), while the blend still lets the model's spread
     * say where it expects larger or smaller errors. The residual statistics themselves, and their
     * winsorising, stay on s.
     *
     * @param predictedSpread the forecast's predicted standard deviation for this step, in the
     *     series' units; NaN when the forecast has none
     */
    public Assessment assess(AnomalyState state, double residual, double scale, double predictedSpread) {
        if (!Double.isFinite(residual)) {
            return Assessment.NONE;
        }
        if (state.recentSurprises.length != shortWindow) {
            // A state from a scorer with another window: keep its residual statistics only.
            state.recentSurprises = new double[shortWindow];
            state.surpriseCount = 0;
        }
        double spreadFloor = 1e-6 * (Double.isFinite(scale) && scale > 0 ? scale : 1.0);
        double residualSd = Math.max(Math.sqrt(state.residualVar), spreadFloor);
        double sd = residualSd;
        if (Double.isFinite(predictedSpread) && predictedSpread > 0) {
            double p = Math.max(predictedSpread, spreadFloor);
            sd = Math.sqrt(0.5 * (p * p + residualSd * residualSd));
        }
        double bias = state.residualMean;
        boolean residualsWarm = state.residuals >= minResiduals;
        double z = 0.0;
        double surprise = 0.0;
        double forStats = residual;
        if (residualsWarm) {
            z = (residual - bias) / sd;
            surprise = Math.min(MAX_SURPRISE, Tails.twoSidedSurprise(z));
            forStats = clamp(residual, bias, RESIDUAL_WINSOR * residualSd);
        }
        state.residuals++;
        double alpha = Math.max(1.0 / state.residuals, 1.0 / residualSpan);
        double delta = forStats - state.residualMean;
        state.residualMean += alpha * delta;
        state.residualVar = (1 - alpha) * (state.residualVar + alpha * delta * delta);
        if (!residualsWarm) {
            return new Assessment(false, residual, 0.0, 0.0, bias, sd, 0.0, ErrorTail.LARGE, 0.0, 0.0);
        }

        state.recentSurprises[(int) (state.surpriseCount % shortWindow)] = surprise;
        state.surpriseCount++;
        double windowMean = recentMean(state);

        double likelihood = 0.0;
        ErrorTail tail = ErrorTail.LARGE;
        double usual = state.windowMean;
        if (state.windows >= minWindows) {
            Tails.GammaSurprises tails = windowSurprises(windowMean, state.windowMean, state.windowVar);
            double upper = tails.upper();
            double lower = tails.lower();
            tail = lower > upper ? ErrorTail.SMALL : ErrorTail.LARGE;
            likelihood = toScore(Math.max(upper, lower));
        }
        double windowSd = Math.sqrt(state.windowVar);
        double windowForStats = state.windows >= minWindows
                ? clamp(windowMean, state.windowMean, WINDOW_WINSOR * windowSd)
                : windowMean;
        state.windows++;
        double beta = Math.max(1.0 / state.windows, 1.0 / longSpan);
        double d = windowForStats - state.windowMean;
        state.windowMean += beta * d;
        state.windowVar = (1 - beta) * (state.windowVar + beta * d * d);
        return new Assessment(true, residual, z, surprise, bias, sd, likelihood, tail, windowMean, usual);
    }

    /**
     * {@link #upperTailSurprise} and {@link #lowerTailSurprise} of one window mean, equal to them bit
     * for bit. Once the long mean is above its floor both tails are of the same gamma at the same
     * point, so one incomplete-gamma evaluation serves both; that evaluation was the largest part
     * of scoring an observation.
     */
    static Tails.GammaSurprises windowSurprises(double windowMean, double longMean, double longVar) {
        if (longMean < MIN_LONG_MEAN) {
            return new Tails.GammaSurprises(upperTailSurprise(windowMean, longMean, longVar), 0.0);
        }
        double var = Math.max(longVar, MIN_LONG_CV * MIN_LONG_CV * longMean * longMean);
        double shape = Math.min(longMean * longMean / var, MAX_SHAPE);
        Tails.GammaSurprises both = Tails.gammaSurprises(shape, windowMean * longMean / var);
        return new Tails.GammaSurprises(
                Math.min(MAX_TAIL_SURPRISE, both.upper()), Math.min(MAX_TAIL_SURPRISE, both.lower()));
    }

    /**
     * Surprise of a window mean this large, the long run's mean and variance matched by a gamma
     * distribution: a weighted mean of non-negative, right-skewed surprises is close to one, much
     * closer than to a normal, whose thin upper tail would make moderate errors look rare.
     */
    static double upperTailSurprise(double windowMean, double longMean, double longVar) {
        double mean = Math.max(longMean, MIN_LONG_MEAN);
        double var = Math.max(longVar, MIN_LONG_CV * MIN_LONG_CV * mean * mean);
        double shape = Math.min(mean * mean / var, MAX_SHAPE);
        return Math.min(MAX_TAIL_SURPRISE, Tails.gammaUpperSurprise(shape, windowMean * mean / var));
    }

    /**
     * Surprise of a window mean this small under the same gamma distribution. A key whose errors
     * have always been negligible has no regular variation to lose, so it is never surprising.
     */
    static double lowerTailSurprise(double windowMean, double longMean, double longVar) {
        if (longMean < MIN_LONG_MEAN) {
            return 0.0;
        }
        double var = Math.max(longVar, MIN_LONG_CV * MIN_LONG_CV * longMean * longMean);
        double shape = Math.min(longMean * longMean / var, MAX_SHAPE);
        return Math.min(MAX_TAIL_SURPRISE, Tails.gammaLowerSurprise(shape, windowMean * longMean / var));
    }

    /**
     * What one observation's score is made of.
     *
     * @param scored whether the observation was scored (false while the residual statistics warm
     *     up, or without a forecast)
     * @param residual observed minus forecast
     * @param z the residual standardised by the recent residuals' mean and spread
     * @param surprise {@code -ln} of the two-sided normal tail of {@code z}, capped at 50: the raw score
     * @param bias mean of the recent residuals (the forecast's recent bias)
     * @param spread the spread z was measured against, in the series' units: the standard
     *     deviation of the recent residuals, blended with the forecast's predicted one when it has
     *     one
     * @param likelihood the anomaly score in [0, 1] (0 until the long run has warmed up)
     * @param tail which way the recent errors depart from the long run
     * @param windowMean mean surprise of the short window, newest weighted most
     * @param usualMean the long-run mean of that window mean
     */
    public record Assessment(boolean scored, double residual, double z, double surprise, double bias,
            double spread, double likelihood, ErrorTail tail, double windowMean, double usualMean) {

        static final Assessment NONE =
                new Assessment(false, Double.NaN, 0.0, 0.0, 0.0, Double.NaN, 0.0, ErrorTail.LARGE, 0.0, 0.0);
    }

    /** Direction of an anomaly in the forecast errors. */
    public enum ErrorTail {
        /** The forecast stopped fitting: spikes, dips, shifts, more variance, a broken pattern. */
        LARGE,
        /** The forecast fits too well: a flat line or a far too regular series where variation is expected. */
        SMALL
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
