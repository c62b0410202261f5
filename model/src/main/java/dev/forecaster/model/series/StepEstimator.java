package dev.forecaster.model.series;

/**
 * Infers a series' sampling interval as the smallest positive gap between consecutive
 * observations: robust to gaps (missing points only make gaps larger) and needs no configuration.
 */
public final class StepEstimator {

    private StepEstimator() {}

    public static long next(long currentStep, long lastEventTime, long eventTime) {
        if (lastEventTime == Long.MIN_VALUE) {
            return currentStep;
        }
        long gap = eventTime - lastEventTime;
        if (gap <= 0) {
            return currentStep;
        }
        return currentStep == 0 ? gap : Math.min(currentStep, gap);
    }
}
