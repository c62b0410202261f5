package dev.forecaster.jobs.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.schema.Observation;

/**
 * Seeded hourly sensor readings: a per-key level and trend, daily and weekly seasonality, AR(1)
 * noise and occasional anomalies (spikes and level shifts). The same seed gives the same data.
 */
public final class SyntheticSensors implements DemoData {

    public static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    public static final Duration STEP = Duration.ofHours(1);

    private final List<String> keys = new ArrayList<>();
    private final List<Sensor> sensors = new ArrayList<>();
    private final int historySteps;

    public SyntheticSensors(int keyCount, int historySteps, long seed) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("need at least one key");
        }
        this.historySteps = historySteps;
        SplittableRandom root = new SplittableRandom(seed);
        for (int k = 0; k < keyCount; k++) {
            keys.add(String.format("sensor-%03d", k));
            sensors.add(new Sensor(root.split()));
        }
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public List<double[]> trainingHistory() {
        List<double[]> history = new ArrayList<>();
        for (Sensor s : sensors) {
            double[] values = new double[historySteps];
            for (int t = 0; t < historySteps; t++) {
                values[t] = s.valueAt(t);
            }
            history.add(values);
        }
        return history;
    }

    @Override
    public long[] trainingTimes() {
        long[] times = new long[historySteps];
        for (int t = 0; t < historySteps; t++) {
            times[t] = EPOCH.plus(STEP.multipliedBy(t)).toEpochMilli();
        }
        return times;
    }

    @Override
    public Iterator<Observation> stream() {
        return new RoundRobin(keys, historySteps, Long.MAX_VALUE, new RoundRobin.Cell() {
            @Override
            public long time(long row) {
                return EPOCH.plus(STEP.multipliedBy(row)).toEpochMilli();
            }

            @Override
            public double value(int key, long row) {
                return sensors.get(key).valueAt(row);
            }
        });
    }

    /** One sensor; values are generated strictly in time order and cached for replays. */
    private static final class Sensor {
        private final SplittableRandom random;
        private final double level;
        private final double trendPerStep;
        private final double dailyAmplitude;
        private final double weeklyAmplitude;
        private final double phase;
        private final double noise;
        private final List<Double> values = new ArrayList<>();
        private double ar;
        private double shift;

        Sensor(SplittableRandom random) {
            this.random = random;
            this.level = 20 + 80 * random.nextDouble();
            this.dailyAmplitude = level * (0.05 + 0.15 * random.nextDouble());
            this.weeklyAmplitude = dailyAmplitude * (0.2 + 0.5 * random.nextDouble());
            this.trendPerStep = level * (random.nextDouble() - 0.5) * 1e-4;
            this.phase = 2 * Math.PI * random.nextDouble();
            this.noise = dailyAmplitude * (0.03 + 0.07 * random.nextDouble());
        }

        double valueAt(long step) {
            while (values.size() <= step) {
                values.add(generate(values.size()));
            }
            return values.get((int) step);
        }

        private double generate(long t) {
            ar = 0.7 * ar + noise * gaussian();
            double u = random.nextDouble();
            double spike = 0;
            if (u < 0.002) {
                spike = (random.nextBoolean() ? 1 : -1) * dailyAmplitude * (1.5 + random.nextDouble());
            } else if (u < 0.0025) {
                shift += (random.nextBoolean() ? 1 : -1) * dailyAmplitude * 0.5;
            }
            double daily = dailyAmplitude * Math.sin(2 * Math.PI * t / 24.0 + phase);
            double weekly = weeklyAmplitude * Math.sin(2 * Math.PI * t / 168.0 + phase / 2);
            return level + trendPerStep * t + daily + weekly + ar + shift + spike;
        }

        private double gaussian() {
            // Box-Muller on the sensor's own generator keeps the data independent of other keys.
            double u1 = Math.max(random.nextDouble(), 1e-12);
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}
