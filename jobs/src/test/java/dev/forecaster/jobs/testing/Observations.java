package dev.forecaster.jobs.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/** Seeded observation streams for tests. */
public final class Observations {

    public static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    public static final long STEP = 3_600_000L;

    private Observations() {}

    public static Observation of(String series, long time, double value) {
        return Observation.newBuilder().setSeriesId(series).setEventTime(Instant.ofEpochMilli(time))
                .setValue(value).setFeatures(null).build();
    }

    /** {@code perKey} hourly points for each key, interleaved round-robin in time order. */
    public static List<Observation> interleaved(List<String> keys, int perKey, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] level = new double[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            level[k] = 10 + 90 * random.nextDouble();
        }
        List<Observation> out = new ArrayList<>();
        for (int t = 0; t < perKey; t++) {
            for (int k = 0; k < keys.size(); k++) {
                double value = level[k] * (1 + 0.2 * Math.sin(2 * Math.PI * t / 24.0 + k)) + random.nextGaussian();
                out.add(of(keys.get(k), START + t * STEP, value));
            }
        }
        return out;
    }

    public static IngestRecord ingest(Observation obs, long offset) {
        return IngestRecord.newBuilder().setObservation(obs).setDeadLetter(null)
                .setSourceTopic("observations").setSourcePartition(0).setSourceOffset(offset).build();
    }
}
