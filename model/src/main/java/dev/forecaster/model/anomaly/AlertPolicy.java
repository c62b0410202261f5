package dev.forecaster.model.anomaly;

import java.io.Serializable;
import java.util.Locale;

/**
 * Turns a key's stream of anomaly likelihoods into alerts: one alert per anomaly episode, not one
 * per anomalous point.
 *
 * <p>State machine per key ({@link AlertState}):
 *
 * <ul>
 *   <li><b>Warm-up.</b> The key's first {@link #warmup()} observations raise nothing, while the
 *       scorer's long-run statistics settle; nor do the first {@code warmup} observations compared
 *       with a new model's forecasts (a new model version served, or a key's retraining), while
 *       the scorer adapts to that model's errors. A model change also ends any episode.
 *   <li><b>Idle → episode.</b> {@link #debounce()} consecutive scored points with a likelihood at
 *       or above {@link #warning()} raise an alert, once at least {@link #cooldown()} observations
 *       have passed since the key's previous alert. Its severity is critical when the run reached
 *       {@link #critical()}. The alert reports the run's most anomalous point.
 *   <li><b>Escalation.</b> In an episode alerted as a warning, {@code debounce} consecutive points
 *       at or above {@code critical} raise one more alert, a critical one. Nothing else is raised
 *       while the episode lasts, however long.
 *   <li><b>Re-arm.</b> The episode ends after {@link #rearm()} consecutive scored points below
 *       {@link #exit()}; the hysteresis between {@code exit} and {@code warning} keeps a score that
 *       hovers around the threshold from raising a storm.
 * </ul>
 *
 * <p>Unscored points (no forecast targeted them, e.g. after a gap) count for the warm-up and the
 * cooldown, and leave the rest of the state alone. Thresholds apply to the scorer's likelihood,
 * which is relative to each key's own history, so one setting serves quiet and noisy series alike.
 * Immutable; build with {@link #builder()}.
 */
public final class AlertPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_WARNING = 0.7;
    public static final String WARNING_DOC =
            "Anomaly likelihood at or above which a run of points raises a WARNING alert.";
    public static final double DEFAULT_CRITICAL = 0.85;
    public static final String CRITICAL_DOC =
            "Anomaly likelihood at or above which an alert is CRITICAL (and a warning episode escalates).";
    public static final double DEFAULT_EXIT = 0.5;
    public static final String EXIT_DOC =
            "Hysteresis: an episode ends only after the likelihood stays below this for 'rearm' points.";
    public static final int DEFAULT_DEBOUNCE = 1;
    public static final String DEBOUNCE_DOC =
            "Consecutive points at or above the threshold before an alert is raised.";
    public static final int DEFAULT_REARM = 12;
    public static final String REARM_DOC =
            "Consecutive points below the exit threshold that end an episode, so the next anomaly alerts again.";
    public static final int DEFAULT_COOLDOWN = 24;
    public static final String COOLDOWN_DOC =
            "Minimum observations between the first alerts of two episodes of a key (escalations are exempt).";
    public static final int DEFAULT_WARMUP = 200;
    public static final String WARMUP_DOC =
            "Observations of a new key, or after its model changes, before it may raise any alert.";
    public static final double DEFAULT_BOUNDS_WIDTH = 3.0;
    public static final String BOUNDS_WIDTH_DOC =
            "An alert's bounds are the expected value plus and minus this many predictive spreads.";

    /** Four significant digits: enough to act on, whatever the series' units. */
    private static final String NUMBER = "%.4g";

    private final double warning;
    private final double critical;
    private final double exit;
    private final int debounce;
    private final int rearm;
    private final int cooldown;
    private final int warmup;
    private final double boundsWidth;

    private AlertPolicy(Builder b) {
        if (!(b.warning > 0 && b.warning < 1)) {
            throw new IllegalArgumentException("warning threshold must be in (0, 1), was " + b.warning);
        }
        if (!(b.critical >= b.warning && b.critical < 1)) {
            throw new IllegalArgumentException(
                    "critical threshold must be in [warning, 1), was " + b.critical + " with warning " + b.warning);
        }
        if (!(b.exit >= 0 && b.exit <= b.warning)) {
            throw new IllegalArgumentException(
                    "exit threshold must be in [0, warning], was " + b.exit + " with warning " + b.warning);
        }
        if (b.debounce < 1 || b.rearm < 1 || b.cooldown < 0 || b.warmup < 0) {
            throw new IllegalArgumentException("debounce and rearm must be >= 1, cooldown and warm-up >= 0");
        }
        if (!(b.boundsWidth > 0) || Double.isInfinite(b.boundsWidth)) {
            throw new IllegalArgumentException("bounds width must be positive, was " + b.boundsWidth);
        }
        this.warning = b.warning;
        this.critical = b.critical;
        this.exit = b.exit;
        this.debounce = b.debounce;
        this.rearm = b.rearm;
        this.cooldown = b.cooldown;
        this.warmup = b.warmup;
        this.boundsWidth = b.boundsWidth;
    }

    public static AlertPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double warning() {
        return warning;
    }

    public double critical() {
        return critical;
    }

    public double exit() {
        return exit;
    }

    public int debounce() {
        return debounce;
    }

    public int rearm() {
        return rearm;
    }

    public int cooldown() {
        return cooldown;
    }

    public int warmup() {
        return warmup;
    }

    public double boundsWidth() {
        return boundsWidth;
    }

    public AlertState newState() {
        return new AlertState();
    }

    /**
     * One observation as the policy sees it.
     *
     * @param eventTime its event time
     * @param observed its value
     * @param expected the forecast that targeted it; NaN when none did
     * @param spread the predictive standard deviation the bounds are drawn with (today the spread of
     *     the key's recent one-step residuals; a model's own predictive spread when it has one)
     * @param modelVersion version of the model whose forecast it is compared with
     * @param assessment what the scorer made of it
     */
    public record Point(long eventTime, double observed, double expected, double spread, long modelVersion,
            AnomalyScorer.Assessment assessment) {}

    /**
     * Advances the key's state by one observation.
     *
     * @return the alert this observation raises, or null
     */
    public Alert observe(AlertState state, Point point) {
        state.points++;
        if (point.modelVersion() != state.modelVersion) {
            // Another model's errors: the scorer needs time to learn their size, and what looked
            // anomalous against the old model says nothing about the new one.
            state.modelVersion = point.modelVersion();
            state.warmFrom = state.points - 1;
            endEpisode(state);
        }
        AnomalyScorer.Assessment a = point.assessment();
        if (!a.scored() || !Double.isFinite(point.expected())) {
            return null;
        }
        if (state.points - state.warmFrom <= warmup) {
            return null;
        }
        double likelihood = a.likelihood();
        if (state.active) {
            if (likelihood < exit) {
                state.quiet++;
            } else {
                state.quiet = 0;
            }
            Alert escalation = null;
            if (state.raised == Severity.WARNING && likelihood >= critical) {
                track(state, point);
                if (state.run >= debounce) {
                    escalation = raise(state, Severity.CRITICAL, true);
                }
            } else {
                state.run = 0;
                state.peak = null;
            }
            if (state.quiet >= rearm) {
                endEpisode(state);
            }
            return escalation;
        }
        if (likelihood < warning) {
            state.run = 0;
            state.peak = null;
            return null;
        }
        track(state, point);
        boolean cooled = state.lastAlertAt < 0 || state.points - state.lastAlertAt >= cooldown;
        if (state.run >= debounce && cooled) {
            return raise(state, state.peak.likelihood() >= critical ? Severity.CRITICAL : Severity.WARNING, false);
        }
        return null;
    }

    private static void endEpisode(AlertState state) {
        state.active = false;
        state.raised = null;
        state.quiet = 0;
        state.run = 0;
        state.peak = null;
    }

    private static void track(AlertState state, Point p) {
        state.run++;
        AnomalyScorer.Assessment a = p.assessment();
        if (state.peak == null || a.likelihood() > state.peak.likelihood()) {
            state.peak = new AlertState.Candidate(p.eventTime(), p.observed(), p.expected(), p.spread(),
                    p.modelVersion(), a.surprise(), a.likelihood(), a.tail(), a.windowMean(), a.usualMean());
        }
    }

    private Alert raise(AlertState state, Severity severity, boolean escalation) {
        AlertState.Candidate c = state.peak;
        state.active = true;
        state.raised = severity;
        state.run = 0;
        state.quiet = 0;
        state.peak = null;
        state.lastAlertAt = state.points;
        double half = boundsWidth * c.spread();
        double lower = c.expected() - half;
        double upper = c.expected() + half;
        String reason = (escalation ? "escalated to critical: " : "") + reason(c, lower, upper);
        return new Alert(c.eventTime(), c.observed(), c.expected(), lower, upper, c.surprise(), c.likelihood(),
                severity, escalation, c.modelVersion(), reason);
    }

    /** Says what was seen, in words a person on call can act on, with the numbers behind it. */
    static String reason(AlertState.Candidate c, double lower, double upper) {
        String usual = String.format(Locale.ROOT, "mean surprise " + NUMBER + " over the recent points, usual " + NUMBER,
                c.windowMean(), c.usualMean());
        if (c.tail() == AnomalyScorer.ErrorTail.SMALL) {
            return String.format(Locale.ROOT,
                    "forecast error unusually small (flat line / too regular): %s; observed " + NUMBER
                            + ", expected " + NUMBER,
                    usual, c.observed(), c.expected());
        }
        double spreads = (c.observed() - c.expected()) / c.spread();
        if (c.observed() > upper || c.observed() < lower) {
            return String.format(Locale.ROOT,
                    "observed " + NUMBER + " %s expected " + NUMBER + " by %.1f spreads (bounds " + NUMBER
                            + " to " + NUMBER + ")",
                    c.observed(), c.observed() > upper ? "above" : "below", c.expected(), Math.abs(spreads),
                    lower, upper);
        }
        return String.format(Locale.ROOT,
                "forecast errors unusually large (variance or pattern change): %s; observed " + NUMBER
                        + ", expected " + NUMBER + " (%.1f spreads)",
                usual, c.observed(), c.expected(), spreads);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "AlertPolicy[warning=%s, critical=%s, exit=%s, debounce=%d, rearm=%d, cooldown=%d, warmup=%d, "
                        + "boundsWidth=%s]",
                warning, critical, exit, debounce, rearm, cooldown, warmup, boundsWidth);
    }

    /** Settings with the defaults above; each setter's meaning is its {@code *_DOC} constant. */
    public static final class Builder {
        private double warning = DEFAULT_WARNING;
        private double critical = DEFAULT_CRITICAL;
        private double exit = DEFAULT_EXIT;
        private int debounce = DEFAULT_DEBOUNCE;
        private int rearm = DEFAULT_REARM;
        private int cooldown = DEFAULT_COOLDOWN;
        private int warmup = DEFAULT_WARMUP;
        private double boundsWidth = DEFAULT_BOUNDS_WIDTH;

        private Builder() {}

        public Builder warning(double v) {
            this.warning = v;
            return this;
        }

        public Builder critical(double v) {
            this.critical = v;
            return this;
        }

        public Builder exit(double v) {
            this.exit = v;
            return this;
        }

        public Builder debounce(int v) {
            this.debounce = v;
            return this;
        }

        public Builder rearm(int v) {
            this.rearm = v;
            return this;
        }

        public Builder cooldown(int v) {
            this.cooldown = v;
            return this;
        }

        public Builder warmup(int v) {
            this.warmup = v;
            return this;
        }

        public Builder boundsWidth(double v) {
            this.boundsWidth = v;
            return this;
        }

        /** @throws IllegalArgumentException when the settings are inconsistent */
        public AlertPolicy build() {
            return new AlertPolicy(this);
        }
    }
}
