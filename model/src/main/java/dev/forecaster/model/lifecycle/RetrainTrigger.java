package dev.forecaster.model.lifecycle;

/**
 * When to retrain: every period of processing time, or earlier on drift, when a population's
 * rolling forecast error exceeds the baseline it had after the last (re)training by a factor.
 */
public final class RetrainTrigger {

    /** Why a retraining was triggered. */
    public enum Reason { NONE, PERIODIC, DRIFT }

    private final long periodMillis;
    private final double driftFactor;
    private final int window;

    private final double[] recent;
    private int recentCount;
    private int next;
    private double recentSum;
    private double baseline = Double.NaN;
    private long lastTrainedAt;

    /**
     * @param window number of recent absolute errors in the rolling mean; the first full window
     *     after a (re)training becomes the baseline
     */
    public RetrainTrigger(long periodMillis, double driftFactor, int window, long startMillis) {
        if (window < 1 || driftFactor <= 1) {
            throw new IllegalArgumentException("window must be positive and the drift factor above 1");
        }
        this.periodMillis = periodMillis;
        this.driftFactor = driftFactor;
        this.window = window;
        this.recent = new double[window];
        this.lastTrainedAt = startMillis;
    }

    public void recordError(double absoluteError) {
        if (!Double.isFinite(absoluteError)) {
            return;
        }
        if (recentCount == window) {
            recentSum -= recent[next];
        } else {
            recentCount++;
        }
        recent[next] = absoluteError;
        recentSum += absoluteError;
        next = (next + 1) % window;
        if (Double.isNaN(baseline) && recentCount == window) {
            baseline = rollingError();
        }
    }

    public Reason check(long nowMillis) {
        if (!Double.isNaN(baseline) && recentCount == window && rollingError() > driftFactor * baseline) {
            return Reason.DRIFT;
        }
        if (nowMillis - lastTrainedAt >= periodMillis) {
            return Reason.PERIODIC;
        }
        return Reason.NONE;
    }

    /** A new model is serving: errors start over and the next full window sets the baseline. */
    public void onRetrained(long nowMillis) {
        lastTrainedAt = nowMillis;
        baseline = Double.NaN;
        recentCount = 0;
        next = 0;
        recentSum = 0;
    }

    public double rollingError() {
        return recentCount == 0 ? Double.NaN : recentSum / recentCount;
    }

    public double baseline() {
        return baseline;
    }
}
