package dev.forecaster.model.anomaly;

import java.util.Objects;

/**
 * What {@link AlertPolicy} keeps per series between observations: where the key is in its warm-up
 * (and which model's errors it is warming up on) and in the alert state machine (idle, a run of high scores pending, an episode in progress), and
 * the most anomalous point of the pending run. A dozen numbers. Mutable; the policy updates it in
 * place.
 */
public final class AlertState {

    /** Observations seen, scored or not. */
    public long points;
    /** Version of the model whose forecasts the last observation was compared with. */
    public long modelVersion;
    /** {@link #points} when the warm-up began: 0 for a new key, the observation before a model change. */
    public long warmFrom;
    /** Whether an anomaly episode is in progress (alerted, not yet re-armed). */
    public boolean active;
    /** Highest severity alerted in the current episode; null when idle. */
    public Severity raised;
    /** Consecutive scored points at or above the threshold that the next alert needs. */
    public int run;
    /** Consecutive scored points below the exit threshold during an episode. */
    public int quiet;
    /** {@link #points} at the last alert; -1 before the first. */
    public long lastAlertAt = -1;
    /** The most anomalous point of the pending run; null when no run is pending. */
    public Candidate peak;

    /** A point that may be reported by the next alert. */
    public record Candidate(
            long eventTime,
            double observed,
            double expected,
            double spread,
            long modelVersion,
            double surprise,
            double likelihood,
            AnomalyScorer.ErrorTail tail,
            double windowMean,
            double usualMean) {}

    public AlertState copy() {
        AlertState c = new AlertState();
        c.points = points;
        c.modelVersion = modelVersion;
        c.warmFrom = warmFrom;
        c.active = active;
        c.raised = raised;
        c.run = run;
        c.quiet = quiet;
        c.lastAlertAt = lastAlertAt;
        c.peak = peak; // immutable
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertState s
                && points == s.points
                && modelVersion == s.modelVersion
                && warmFrom == s.warmFrom
                && active == s.active
                && raised == s.raised
                && run == s.run
                && quiet == s.quiet
                && lastAlertAt == s.lastAlertAt
                && Objects.equals(peak, s.peak);
    }

    @Override
    public int hashCode() {
        return Objects.hash(points, modelVersion, warmFrom, active, raised, run, quiet, lastAlertAt, peak);
    }

    @Override
    public String toString() {
        return "AlertState[points=" + points + ", modelVersion=" + modelVersion + ", warmFrom=" + warmFrom + ", active=" + active + ", raised=" + raised + ", run=" + run
                + ", quiet=" + quiet + ", lastAlertAt=" + lastAlertAt + ", peak=" + peak + "]";
    }
}
