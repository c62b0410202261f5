package dev.forecaster.model.quality;

import java.util.Arrays;

/**
 * Detection quality for one anomaly type (or for all together).
 *
 * @param windows labelled anomaly windows
 * @param hits windows with at least one detection (one hit per window)
 * @param falseAlerts detections outside every window and its tolerance, on the series counted here
 * @param points rows of the series counted here
 * @param delays per hit, rows from the window's start to its first detection, ascending
 */
public record TypeQuality(String type, int windows, int hits, int falseAlerts, long points, int[] delays) {

    public TypeQuality {
        delays = delays.clone();
        Arrays.sort(delays);
        if (delays.length != hits) {
            throw new IllegalArgumentException(hits + " hits but " + delays.length + " delays");
        }
    }

    /** Hit windows over hit windows plus false alerts; NaN without any. */
    public double precision() {
        return hits + falseAlerts == 0 ? Double.NaN : hits / (double) (hits + falseAlerts);
    }

    /** Hit windows over windows; NaN without windows. */
    public double recall() {
        return windows == 0 ? Double.NaN : hits / (double) windows;
    }

    /** Harmonic mean of precision and recall; 0 when either is 0, NaN when either is undefined. */
    public double f1() {
        double p = precision();
        double r = recall();
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double falseAlertsPer10k() {
        return points == 0 ? Double.NaN : 1e4 * falseAlerts / points;
    }

    /** Median detection delay in rows (nearest rank); NaN without hits. */
    public double medianDelay() {
        return percentile(0.5);
    }

    /** 90th percentile of the detection delay in rows (nearest rank); NaN without hits. */
    public double p90Delay() {
        return percentile(0.9);
    }

    private double percentile(double q) {
        if (delays.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * delays.length);
        return delays[Math.max(0, rank - 1)];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeQuality t && type.equals(t.type) && windows == t.windows && hits == t.hits
                && falseAlerts == t.falseAlerts && points == t.points && Arrays.equals(delays, t.delays);
    }

    @Override
    public int hashCode() {
        return type.hashCode() + 31 * Arrays.hashCode(delays) + 17 * hits + 13 * falseAlerts;
    }

    @Override
    public String toString() {
        return "TypeQuality[" + type + " windows=" + windows + " hits=" + hits + " falseAlerts=" + falseAlerts
                + " points=" + points + " delays=" + Arrays.toString(delays) + "]";
    }
}
