package dev.forecaster.model.synth;

import java.util.SplittableRandom;

/**
 * The normal behaviour of one synthetic series: a level with a slow trend, a daily cycle with a
 * second harmonic (sharper peaks than a sine) that is weaker at weekends, a weekly cycle, and
 * AR(1) noise. Levels span four orders of magnitude and noise ranges from a twentieth to 0.4 of
 * the daily amplitude across keys, so that a detector has to be calibrated per series.
 *
 * @param level mean value
 * @param trendPerDay change of the level per day
 * @param dailyAmplitude amplitude of the daily cycle's first harmonic
 * @param dailyPhase phase of the daily cycle, radians
 * @param secondHarmonic amplitude of the daily cycle's second harmonic, relative to the first
 * @param weekendFactor the daily cycle's amplitude on Saturdays and Sundays, relative to weekdays
 * @param weeklyAmplitude amplitude of a smooth weekly cycle
 * @param noiseSd stationary standard deviation of the AR(1) noise
 * @param ar the noise's lag-one autocorrelation
 */
public record SeasonalBase(double level, double trendPerDay, double dailyAmplitude, double dailyPhase,
        double secondHarmonic, double weekendFactor, double weeklyAmplitude, double noiseSd, double ar) {

    private static final long DAY_MILLIS = 86_400_000L;

    /** Draws a series' parameters. */
    public static SeasonalBase random(SplittableRandom r) {
        double level = Math.pow(10, 4 * r.nextDouble());
        double daily = level * uniform(r, 0.05, 0.3);
        return new SeasonalBase(
                level,
                level * uniform(r, -0.5, 0.5) / 365.0,
                daily,
                2 * Math.PI * r.nextDouble(),
                uniform(r, 0.0, 0.5),
                uniform(r, 0.4, 1.0),
                daily * uniform(r, 0.1, 0.5),
                daily * uniform(r, 0.05, 0.4),
                uniform(r, 0.2, 0.8));
    }

    /**
     * The series on a regular grid.
     *
     * @param startMillis time of the first point (UTC), which fixes the weekdays
     * @param stepMillis grid step; must divide a day
     * @param noise generator of the noise, so that the same parameters give the same values
     */
    public double[] values(int n, long startMillis, long stepMillis, SplittableRandom noise) {
        if (stepMillis <= 0 || DAY_MILLIS % stepMillis != 0) {
            throw new IllegalArgumentException("the step must divide a day, was " + stepMillis + " ms");
        }
        double stepsPerDay = (double) DAY_MILLIS / stepMillis;
        double innovation = noiseSd * Math.sqrt(1 - ar * ar);
        double e = noiseSd * noise.nextGaussian();
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            long time = startMillis + t * stepMillis;
            double dayFraction = Math.floorMod(time, DAY_MILLIS) / (double) DAY_MILLIS;
            // 1970-01-01 was a Thursday: day 0 -> weekday 3 with Monday = 0.
            long weekday = Math.floorMod(Math.floorDiv(time, DAY_MILLIS) + 3, 7L);
            double weekFraction = (weekday + dayFraction) / 7.0;
            double cycle = Math.sin(2 * Math.PI * dayFraction + dailyPhase)
                    + secondHarmonic * Math.sin(4 * Math.PI * dayFraction + 2 * dailyPhase);
            double daily = dailyAmplitude * cycle * (weekday >= 5 ? weekendFactor : 1.0);
            double weekly = weeklyAmplitude * Math.sin(2 * Math.PI * weekFraction);
            if (t > 0) {
                e = ar * e + innovation * noise.nextGaussian();
            }
            x[t] = level + trendPerDay * t / stepsPerDay + daily + weekly + e;
        }
        return x;
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
