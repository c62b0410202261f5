package dev.forecaster.model.scaling;

import java.io.Serializable;

/**
 * Running normaliser of one series: Welford's mean and sum of squared deviations over every value
 * seen so far. Training computes features and labels with exactly this class, stepping it through
 * each series as the streaming operator does, so that served inputs match trained ones.
 *
 * <p>Mutable and not thread-safe.
 */
public final class SeriesScaler implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Normalised values are clamped to ±CLAMP so that outliers cannot saturate the network. */
    public static final double CLAMP = 10.0;

    /**
     * Largest magnitude a series value may have. Welford's sum of squared deviations grows by up to
     * (2·MAX)² per value; at 1e100 that stays finite for any count a series can reach, while a
     * value near the double range (a sensor's sentinel of 1.7e308, then its negative) would make
     * the mean infinite and the sum NaN, after which the state can neither forecast nor be
     * restored. Inputs are validated against it before they reach a scaler.
     */
    public static final double MAX_MAGNITUDE = 1e100;

    private long count;
    private double mean;
    private double m2;

    public SeriesScaler() {
        this(0L, 0.0, 0.0);
    }

    public SeriesScaler(long count, double mean, double m2) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (!(m2 >= 0.0)) {
            throw new IllegalArgumentException("m2 must be >= 0, was " + m2);
        }
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    public long count() {
        return count;
    }

    public double mean() {
        return mean;
    }

    public double m2() {
        return m2;
    }

    /** Whether {@code x} is a value a series may have: finite and within ±{@link #MAX_MAGNITUDE}. */
    public static boolean accepts(double x) {
        return Math.abs(x) <= MAX_MAGNITUDE;
    }

    /**
     * @throws IllegalArgumentException when x is not {@linkplain #accepts accepted}: one NaN,
     *     infinite or overflowing value would poison the statistics, and the recurrent state after
     *     them, for the rest of the series' life
     */
    public void update(double x) {
        if (!accepts(x)) {
            throw new IllegalArgumentException(Double.isFinite(x)
                    ? "Value " + x + " beyond ±" + MAX_MAGNITUDE
                    : "Non-finite value " + x);
        }
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
    }

    /**
     * Population standard deviation once there are two points and it is distinguishable from
     * rounding noise; otherwise the magnitude of the mean (at least 1), so that the first points
     * of a series, or a flat series, do not normalise to huge values.
     */
    public double scale() {
        if (count >= 2) {
            double std = Math.sqrt(m2 / count);
            if (std > 1e-9 * (1.0 + Math.abs(mean))) {
                return std;
            }
        }
        return Math.max(Math.abs(mean), 1.0);
    }

    public float normalise(double x) {
        return (float) clamp((x - mean) / scale());
    }

    public double denormalise(double z) {
        return mean + z * scale();
    }

    /** Clamps a normalised value to the range the network was trained on. */
    public static double clamp(double z) {
        return Math.max(-CLAMP, Math.min(CLAMP, z));
    }

    public SeriesScaler copy() {
        return new SeriesScaler(count, mean, m2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesScaler s
                && s.count == count
                && Double.compare(s.mean, mean) == 0
                && Double.compare(s.m2, m2) == 0;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(count);
        h = 31 * h + Double.hashCode(mean);
        return 31 * h + Double.hashCode(m2);
    }

    @Override
    public String toString() {
        return "SeriesScaler{count=" + count + ", mean=" + mean + ", m2=" + m2 + '}';
    }
}
