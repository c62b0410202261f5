package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.Observation;

/** The codec's bytes are Avro's own single-object encoding, whichever writer produced them. */
class AvroCodecTest {

    private static final double[] AWKWARD = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        Double.MAX_VALUE, -1e-300, 123456.789,
        Double.longBitsToDouble(0x7ff0_0000_dead_beefL)
    };
    private static final long[] AWKWARD_LONGS = {0, -1, 1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] IDS = {"", "sensor-7", "Zähler/Ost ⚡", "ключ", "x".repeat(300)};

    @Test
    void forecastBodyWriterFollowsTheCurrentSchema() {
        assertEquals(ForecastBodyWriter.FORECAST_V3,
                SchemaNormalization.parsingFingerprint64(Forecast.getClassSchema()),
                "Forecast.avsc changed: make ForecastBodyWriter write the new fields, in schema order, "
                        + "and give it the new fingerprint");
        assertTrue(AvroCodec.<Forecast>of(Forecast.getClassSchema()).usesBodyWriter());
    }

    @Test
    void forecastBytesEqualAvrosAndDecodeBack() throws IOException {
        AvroCodec<Forecast> codec = AvroCodec.of(Forecast.getClassSchema());
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            Forecast f = randomForecast(random, i);
            byte[] bytes = codec.encode(f);
            assertArrayEquals(avroBytes(f), bytes, () -> "forecast " + f);
            assertEquals(f, codec.decode(bytes));
        }
    }

    @Test
    void aHistoricalForecastSchemaUsesTheDatumWriter() {
        Schema v2 = BundledSchemas.load("/schemas/history/Forecast-v2.avsc");
        assertFalse(AvroCodec.of(v2).usesBodyWriter());
    }

    @Test
    void otherRecordsGoThroughTheDatumWriterWithTheSameBytes() throws IOException {
        AvroCodec<Observation> observations = AvroCodec.of(Observation.getClassSchema());
        AvroCodec<DeadLetter> deadLetters = AvroCodec.of(DeadLetter.getClassSchema());
        assertFalse(observations.usesBodyWriter());
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            Observation o = Observation.newBuilder()
                    .setSeriesId(IDS[i % IDS.length])
                    .setEventTime(Instant.ofEpochMilli(random.nextLong() >> 20))
                    .setValue(AWKWARD[i % AWKWARD.length])
                    .setFeatures(i % 3 == 0 ? null : Map.of("temp", random.nextDouble(), "load", -1.5))
                    .build();
            byte[] bytes = observations.encode(o);
            assertArrayEquals(avroBytes(o), bytes);
            Observation back = observations.decode(bytes);
            assertEquals(o.getSeriesId(), back.getSeriesId().toString());
            assertEquals(Double.doubleToLongBits(o.getValue()), Double.doubleToLongBits(back.getValue()));

            byte[] raw = new byte[i % 50];
            random.nextBytes(raw);
            DeadLetter d = DeadLetter.newBuilder()
                    .setSourceTopic("observations")
                    .setSourcePartition(i % 4)
                    .setSourceOffset(AWKWARD_LONGS[i % AWKWARD_LONGS.length])
                    .setRawKey(i % 2 == 0 ? null : ByteBuffer.wrap(raw))
                    .setRawValue(ByteBuffer.wrap(raw))
                    .setError("MALFORMED")
                    .setReason("reason " + i)
                    .setDeadLetteredAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
                    .build();
            assertArrayEquals(avroBytes(d), deadLetters.encode(d));
        }
    }

    @Test
    void encodesFromSeveralThreadsAtOnce() throws Exception {
        AvroCodec<Forecast> forecasts = AvroCodec.of(Forecast.getClassSchema());
        AvroCodec<Observation> observations = AvroCodec.of(Observation.getClassSchema());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 500; i++) {
                        Forecast f = randomForecast(random, i);
                        assertArrayEquals(avroBytes(f), forecasts.encode(f));
                        Observation o = Observation.newBuilder().setSeriesId("s" + i)
                                .setEventTime(Instant.ofEpochMilli(i)).setValue(random.nextGaussian()).build();
                        assertArrayEquals(avroBytes(o), observations.encode(o));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Fields, nulls, empty arrays and awkward values in many combinations. */
    private static Forecast randomForecast(Random random, int i) {
        int horizon = i % 7 == 0 ? 0 : 1 + random.nextInt(48);
        boolean probabilistic = i % 3 != 0;
        return Forecast.newBuilder()
                .setSeriesId(IDS[i % IDS.length])
                .setOriginTime(Instant.ofEpochMilli(i % 5 == 0 ? -random.nextInt(1 << 30) : random.nextLong() >> 20))
                .setStepMillis(AWKWARD_LONGS[i % AWKWARD_LONGS.length])
                .setMeans(doubles(random, horizon, i))
                .setSpreads(probabilistic ? doubles(random, horizon, i + 1) : null)
                .setModelVersion(AWKWARD_LONGS[(i + 3) % AWKWARD_LONGS.length])
                .setEmittedAt(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt()))
                .setAnomalyScore(i % 4 == 0 ? null : (Double) AWKWARD[i % AWKWARD.length])
                .setP10(probabilistic ? doubles(random, horizon, i + 2) : null)
                .setP90(probabilistic && i % 5 != 1 ? doubles(random, horizon, i + 3) : null)
                .build();
    }

    private static List<Double> doubles(Random random, int n, int salt) {
        List<Double> values = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            values.add((k + salt) % 11 == 0 ? AWKWARD[(k + salt) % AWKWARD.length] : random.nextGaussian() * 100);
        }
        return values;
    }

    /** What Avro's own single-object encoder writes. */
    private static <T extends SpecificRecord> byte[] avroBytes(T record) {
        Schema schema = record.getSchema();
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<T>(SpecificData.getForSchema(schema), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
