package dev.forecaster.model.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Injects one anomaly into a series on its regular grid, in place. Sizes are in units of the
 * series' own step-to-step noise ({@link #noiseScale}), so that an anomaly is equally visible on a
 * quiet and on a noisy series, and durations are in days, so that they mean the same at any
 * sampling rate. The same code serves synthetic bases and real series (ETT).
 *
 * <p>Level shifts and trend changes are permanent: the series settles at its new level and the
 * label covers the change (a shift's first quarter day, a trend change's whole ramp). The other
 * kinds end and the series returns to normal.
 */
public final class AnomalyInjector {

    /** One injected anomaly on the grid; {@code end} inclusive. See {@link #inject} for magnitudes. */
    public record Injection(AnomalyType type, int start, int end, double magnitude) {}

    private final int stepsPerDay;

    public AnomalyInjector(int stepsPerDay) {
        if (stepsPerDay < 4) {
            throw new IllegalArgumentException("need at least 4 steps per day, was " + stepsPerDay);
        }
        this.stepsPerDay = stepsPerDay;
    }

    /** The longest window any type can have, in grid steps. */
    public int maxLength() {
        return 2 * stepsPerDay;
    }

    /** Grid steps that must precede an anomaly's start (a seasonal break looks half a day back). */
    public int minStart() {
        return stepsPerDay / 2 + 1;
    }

    /**
     * The typical size of a step-to-step change: the median absolute deviation of the first
     * differences, as a normal standard deviation (1.4826 MAD), i.e. the error of a last-value
     * forecast. It is what one sees as the series' normal jitter, in its own units, robust to the
     * anomalies themselves and blind to the level; it is the unit of every anomaly's size. A
     * steep daily cycle raises it, so on smooth, strongly seasonal series anomalies are large
     * relative to the noise alone.
     */
    public static double noiseScale(double[] x) {
        if (x.length < 3) {
            throw new IllegalArgumentException("need at least 3 points to measure the noise");
        }
        double[] d = new double[x.length - 1];
        for (int i = 1; i < x.length; i++) {
            d[i - 1] = x[i] - x[i - 1];
        }
        double median = median(d);
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(d[i] - median);
        }
        double scale = 1.4826 * median(d);
        if (!(scale > 0)) {
            // A series that mostly does not move: fall back to its spread, so anomalies stay visible.
            double mean = Arrays.stream(x).average().orElse(0);
            scale = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElse(0));
        }
        return scale > 0 ? scale : 1.0;
    }

    /**
     * Injects an anomaly of {@code type} starting at grid step {@code start}.
     *
     * <ul>
     *   <li>spike, dip: one point moved up or down by 4-10 noise units (magnitude = units);
     *   <li>level_shift: everything from {@code start} on moves by 3-8 units (up or down);
     *       labelled for a quarter of a day;
     *   <li>trend_change: a ramp over 0.5-2 days to 6-12 units, after which the series stays at
     *       that offset (magnitude = final offset in units);
     *   <li>variance_change: for 0.5-2 days, noise added so that step-to-step variation is 2.5-4
     *       times normal (magnitude = the factor);
     *   <li>flat_line: for 6-24 hours the value stays at the last normal value (magnitude = the
     *       standard deviation of the values it replaced, in units: the variation expected);
     *   <li>seasonal_break: for 1-2 days the series follows its own course of half a day earlier,
     *       moved to the window's mean level, so the daily cycle is out of phase (magnitude = mean
     *       absolute change, in units).
     * </ul>
     *
     * @param x the series, with anomalies before {@code start} already injected; changed in place
     * @param clean the series before any injection (the seasonal break's reference)
     * @param scale the noise unit, {@link #noiseScale} of {@code clean}
     */
    public Injection inject(AnomalyType type, double[] x, double[] clean, int start, double scale, SplittableRandom r) {
        int length = switch (type) {
            case SPIKE, DIP -> 1;
            case LEVEL_SHIFT -> Math.max(1, stepsPerDay / 4);
            case TREND_CHANGE, VARIANCE_CHANGE -> days(r, 0.5, 2.0);
            case FLAT_LINE -> Math.max(3, days(r, 0.25, 1.0));
            case SEASONAL_BREAK -> days(r, 1.0, 2.0);
        };
        if (start < minStart() || start + length > x.length) {
            throw new IllegalArgumentException(type.label() + " of " + length + " steps does not fit at " + start
                    + " in " + x.length + " steps");
        }
        int end = start + length - 1;
        double sign = r.nextBoolean() ? 1 : -1;
        double magnitude;
        switch (type) {
            case SPIKE, DIP -> {
                magnitude = uniform(r, 4, 10);
                x[start] += (type == AnomalyType.SPIKE ? 1 : -1) * magnitude * scale;
            }
            case LEVEL_SHIFT -> {
                magnitude = uniform(r, 3, 8);
                for (int t = start; t < x.length; t++) {
                    x[t] += sign * magnitude * scale;
                }
            }
            case TREND_CHANGE -> {
                magnitude = uniform(r, 6, 12);
                for (int t = start; t < x.length; t++) {
                    x[t] += sign * magnitude * scale * Math.min(1.0, (t - start + 1) / (double) length);
                }
            }
            case VARIANCE_CHANGE -> {
                magnitude = uniform(r, 2.5, 4);
                double extra = scale * Math.sqrt(magnitude * magnitude - 1);
                for (int t = start; t <= end; t++) {
                    x[t] += extra * r.nextGaussian();
                }
            }
            case FLAT_LINE -> {
                double held = x[start - 1];
                double mean = 0;
                for (int t = start; t <= end; t++) {
                    mean += x[t] / length;
                }
                double var = 0;
                for (int t = start; t <= end; t++) {
                    var += (x[t] - mean) * (x[t] - mean) / length;
                    x[t] = held;
                }
                magnitude = Math.sqrt(var) / scale;
            }
            case SEASONAL_BREAK -> {
                int lag = stepsPerDay / 2;
                double shift = 0;
                for (int t = start; t <= end; t++) {
                    shift += (clean[t] - clean[t - lag]) / length;
                }
                double change = 0;
                for (int t = start; t <= end; t++) {
                    double moved = clean[t - lag] + shift - clean[t];
                    x[t] += moved;
                    change += Math.abs(moved) / length;
                }
                magnitude = change / scale;
            }
            default -> throw new AssertionError(type);
        }
        return new Injection(type, start, end, magnitude);
    }

    private int days(SplittableRandom r, double lo, double hi) {
        return Math.max(1, (int) Math.round(stepsPerDay * uniform(r, lo, hi)));
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
