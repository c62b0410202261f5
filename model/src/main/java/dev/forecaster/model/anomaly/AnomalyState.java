package dev.forecaster.model.anomaly;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the scorer keeps per series: running residual statistics, the last few surprises and the
 * long-run distribution of their mean. A few dozen numbers, so it lives in keyed state cheaply.
 * Mutable; {@link AnomalyScorer} updates it in place.
 */
public final class AnomalyState {

    /** Residuals seen. */
    public long residuals;
    /** Exponentially weighted mean and variance of the one-step residuals. */
    public double residualMean;
    public double residualVar;
    /** Ring of the last surprises, {@link #surpriseCount} of them valid (at most its length). */
    public double[] recentSurprises;
    public long surpriseCount;
    /** Short-window means folded into the long-run statistics. */
    public long windows;
    /** Exponentially weighted mean and variance of the short-window mean surprise. */
    public double windowMean;
    public double windowVar;

    public AnomalyState(int shortWindow) {
        this.recentSurprises = new double[shortWindow];
    }

    public AnomalyState copy() {
        AnomalyState c = new AnomalyState(0);
        c.residuals = residuals;
        c.residualMean = residualMean;
        c.residualVar = residualVar;
        c.recentSurprises = recentSurprises.clone();
        c.surpriseCount = surpriseCount;
        c.windows = windows;
        c.windowMean = windowMean;
        c.windowVar = windowVar;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnomalyState s
                && residuals == s.residuals
                && Double.compare(residualMean, s.residualMean) == 0
                && Double.compare(residualVar, s.residualVar) == 0
                && Arrays.equals(recentSurprises, s.recentSurprises)
                && surpriseCount == s.surpriseCount
                && windows == s.windows
                && Double.compare(windowMean, s.windowMean) == 0
                && Double.compare(windowVar, s.windowVar) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(residuals, residualMean, residualVar, surpriseCount, windows, windowMean, windowVar)
                + 31 * Arrays.hashCode(recentSurprises);
    }
}
