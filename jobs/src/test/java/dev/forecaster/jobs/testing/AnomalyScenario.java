package dev.forecaster.jobs.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.schema.Observation;

/**
 * Seeded hourly series with a daily cycle and noise, one per key, each at its own level and noise
 * scale (over four orders of magnitude), some with an anomaly injected after the alert warm-up.
 * Interleaved round-robin in time order, as a producer of several sensors would send them.
 */
public final class AnomalyScenario {

    /** What happens to a key. */
    public enum Kind {
        CLEAN,
        /** One point far above the series. */
        SPIKE,
        /** One point far below the series. */
        DIP,
        /** The level jumps and stays. */
        LEVEL_SHIFT,
        /** Clean values, but a gap of three missing hours, a duplicate timestamp and a small backward step. */
        CLEAN_WITH_DATA_PROBLEMS
    }

    /**
     * One key of the scenario.
     *
     * @param key series id
     * @param kind what is injected
     * @param scale the key's units: level 20 × scale, daily amplitude 5 × scale, noise sd 1 × scale
     * @param onset index of the first anomalous point (ignored for clean kinds)
     * @param size the anomaly in multiples of the daily amplitude
     */
    public record Key(String key, Kind kind, double scale, int onset, double size) {
        public boolean injected() {
            return kind == Kind.SPIKE || kind == Kind.DIP || kind == Kind.LEVEL_SHIFT;
        }
    }

    private AnomalyScenario() {}

    /** Every key's {@code length} points, interleaved; the key's event times step by {@link Observations#STEP}. */
    public static List<Observation> observations(List<Key> keys, int length, long seed) {
        List<List<Observation>> perKey = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            perKey.add(series(keys.get(k), length, seed + 31L * k, k));
        }
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < length + 2; i++) {
            for (List<Observation> series : perKey) {
                if (i < series.size()) {
                    out.add(series.get(i));
                }
            }
        }
        return out;
    }

    static List<Observation> series(Key key, int length, long seed, int phase) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Observation> out = new ArrayList<>();
        double amplitude = 5 * key.scale();
        for (int i = 0; i < length; i++) {
            double v = key.scale() * (20 + 5 * Math.sin(2 * Math.PI * i / 24.0 + phase) + random.nextGaussian());
            if (key.kind() == Kind.SPIKE && i == key.onset()) {
                v += key.size() * amplitude;
            } else if (key.kind() == Kind.DIP && i == key.onset()) {
                v -= key.size() * amplitude;
            } else if (key.kind() == Kind.LEVEL_SHIFT && i >= key.onset()) {
                v += key.size() * amplitude;
            }
            long time = Observations.START + i * Observations.STEP;
            if (key.kind() == Kind.CLEAN_WITH_DATA_PROBLEMS) {
                if (i >= 300 && i < 303) {
                    continue; // three hours missing
                }
                if (i == 350) {
                    time -= Observations.STEP + 10 * 60_000L; // ten minutes before the previous reading
                }
            }
            out.add(Observations.of(key.key(), time, v));
            if (key.kind() == Kind.CLEAN_WITH_DATA_PROBLEMS && i == 250) {
                // The same reading delivered twice.
                out.add(Observations.of(key.key(), time, v));
            }
        }
        return out;
    }
}
