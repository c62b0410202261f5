package dev.forecaster.model.scaling;

import java.io.Serializable;

/**
 * Running normaliser of one series: a mean and a sum of squared deviations, kept with a
 * {@link #memory()}. Memory 0 keeps Welford's statistics over every value seen so far. Memory N
 * keeps exactly those for the first N values and then forgets exponentially: each new value moves
 * the mean by 1/N of its deviation, and the variance becomes (1 - 1/N)(var + delta²/N), the
 * exponentially weighted variance of West (1979). Lifetime statistics of a series whose level drifts
 * grow with the spread of its whole history while its step-to-step moves do not, and a model's
 * inputs and forecast changes are in units of that scale (docs/architecture.md, "Scaling memory").
 *
 * <p>Training computes features and labels with exactly this class, stepping it through each
 * series as the streaming operator does, so that served inputs match trained ones. Mutable and not
 * thread-safe.
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

    /** The memory of lifetime statistics. */
    public static final int LIFETIME = 0;

    private long count;
    private double mean;
    /** The sum of squared deviations of the values weighed: variance × {@link #weight()}. */
    private double m2;
    private int memory;

    /** An empty scaler with lifetime statistics. */
    public SeriesScaler() {
        this(0L, 0.0, 0.0, LIFETIME);
    }

    /** An empty scaler with {@code memory}. */
    public SeriesScaler(int memory) {
        this(0L, 0.0, 0.0, memory);
    }

    /** Lifetime statistics as Welford keeps them. */
    public SeriesScaler(long count, double mean, double m2) {
        this(count, mean, m2, LIFETIME);
    }

    /**
     * Statistics as {@link #count()}, {@link #mean()}, {@link #m2()} and {@link #memory()} report
     * them.
     */
    public SeriesScaler(long count, double mean, double m2, int memory) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (!(m2 >= 0.0)) {
            throw new IllegalArgumentException("m2 must be >= 0, was " + m2);
        }
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
        this.memory = checkMemory(memory);
    }

    /**
     * @throws IllegalArgumentException unless memory is {@link #LIFETIME} or at least 2 (with 1
     *     every value would be its own mean and the scale always the fallback)
     */
    public static int checkMemory(int memory) {
        if (memory != LIFETIME && memory < 2) {
            throw new IllegalArgumentException("scaling memory must be 0 (lifetime) or >= 2, was " + memory);
        }
        return memory;
    }

    /** 0 for lifetime statistics, else the N of the exponential forgetting (see the class comment). */
    public int memory() {
        return memory;
    }

    /**
     * Switches to {@code newMemory}, keeping the count, the mean and the variance: only the weight
     * the statistics will give new values changes. A no-op, bit for bit, when the memory is the same
     * or while the count is within both memories. Called when a model trained with another memory
     * starts serving the series.
     */
    public void useMemory(int newMemory) {
        if (newMemory == memory) {
            return;
        }
        checkMemory(newMemory);
        long before = weight();
        memory = newMemory;
        long after = weight();
        if (before != after) {
            m2 = m2 / before * after;
        }
    }

    /** The number of values the statistics weigh as a whole: the count, at most the memory. */
    private long weight() {
        return memory == LIFETIME ? count : Math.min(count, memory);
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
     * @throws IllegalArgumentException when x is not {@linkplain #accepts accepted}, with the
     *     message {@link #update} gives
     */
    public static void requireAccepted(double x) {
        if (!accepts(x)) {
            throw new IllegalArgumentException(Double.isFinite(x)
                    ? "Value " + x + " beyond ±" + MAX_MAGNITUDE
                    : "Non-finite value " + x);
        }
    }

    /**
     * @throws IllegalArgumentException when x is not {@linkplain #accepts accepted}: one NaN,
     *     infinite or overflowing value would poison the statistics, and the recurrent state after
     *     them, for the rest of the series' life
     */
    public void update(double x) {
        requireAccepted(x);
        count++;
        double delta = x - mean;
        boolean forgets = memory != LIFETIME && count > memory;
        mean += delta / (forgets ? memory : count);
        // Welford's increment, then forgetting 1/N of what was there: (1 - 1/N)(m2 + delta²), the
        // exponentially weighted variance times N; never negative, as m2/N <= m2.
        m2 = (forgets ? m2 - m2 / memory : m2) + delta * (x - mean);
    }

    /**
     * Population standard deviation (weighted, with a memory) once there are two points and it is
     * distinguishable from rounding noise; otherwise the magnitude of the mean (at least 1), so that
     * the first points of a series, or a flat series, do not normalise to huge values.
     */
    public double scale() {
        if (count >= 2) {
            double std = Math.sqrt(m2 / weight());
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
        return new SeriesScaler(count, mean, m2, memory);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesScaler s
                && s.count == count
                && Double.compare(s.mean, mean) == 0
                && Double.compare(s.m2, m2) == 0
                && s.memory == memory;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(count);
        h = 31 * h + Double.hashCode(mean);
        h = 31 * h + Double.hashCode(m2);
        return 31 * h + memory;
    }

    @Override
    public String toString() {
        return "SeriesScaler{count=" + count + ", mean=" + mean + ", m2=" + m2 + (memory == LIFETIME ? "" : ", memory=" + memory) + '}';
    }
}
