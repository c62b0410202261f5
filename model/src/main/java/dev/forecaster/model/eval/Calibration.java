package dev.forecaster.model.eval;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.anomaly.Tails;

/**
 * Running calibration of Gaussian forecasts at one horizon, in the backtest's normalised units:
 * how often the observation fell inside the central 80 % interval [p10, p90] (ideal 0.80), the
 * mean negative log-likelihood of the observations, and the mean CRPS (continuous ranked
 * probability score; for a point forecast it reduces to the absolute error, so it compares with the
 * MAE column of a point model). Mutable, not thread-safe.
 */
public final class Calibration {

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

    private long count;
    private long covered;
    private double sumNll;
    private double sumCrps;

    /**
     * @param mean the forecast mean
     * @param sd its standard deviation, > 0
     * @param actual the observation
     */
    public void add(double mean, double sd, double actual) {
        if (!(sd > 0) || !Double.isFinite(sd) || !Double.isFinite(mean) || !Double.isFinite(actual)) {
            throw new IllegalArgumentException("mean " + mean + ", sd " + sd + ", actual " + actual);
        }
        double z = (actual - mean) / sd;
        count++;
        if (Math.abs(z) <= HeadKind.Z90) {
            covered++;
        }
        sumNll += Math.log(sd) + 0.5 * z * z + HALF_LOG_TWO_PI;
        sumCrps += crps(z) * sd;
    }

    /** CRPS of a standard normal forecast for an observation at z (Gneiting and Raftery 2007). */
    static double crps(double z) {
        double cdf = z >= 0 ? 1 - Math.exp(-Tails.upperSurprise(z)) : Math.exp(-Tails.upperSurprise(-z));
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        return z * (2 * cdf - 1) + 2 * pdf - INV_SQRT_PI;
    }

    public long count() {
        return count;
    }

    /** Share of observations within [p10, p90]; NaN when nothing was added. */
    public double coverage() {
        return count == 0 ? Double.NaN : (double) covered / count;
    }

    /** Mean negative log-likelihood; NaN when nothing was added. */
    public double nll() {
        return count == 0 ? Double.NaN : sumNll / count;
    }

    /** Mean CRPS; NaN when nothing was added. */
    public double crps() {
        return count == 0 ? Double.NaN : sumCrps / count;
    }
}
