package dev.forecaster.jobs.bench;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.io.AvroKafkaSerializer;
import dev.forecaster.jobs.io.IngestRecordTypeInfo;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * Records per second through the forecast job's graph ({@link ForecastJob#build}) on a Flink
 * MiniCluster at parallelism 1, without Kafka: a generated source of on-time observations and sinks
 * that encode each record with the Kafka sink's serializer and drop the bytes. So the figure is the
 * graph's CPU cost per record on one core (routing, keyBy, the forecast operator with scoring,
 * alerts and the model step, heap keyed state, checkpoints, encoding), not a broker's.
 *
 * <p>Each run is a new job; it is timed from the first forecast reaching its sink to the last, so
 * start-up and shutdown are left out. The first run warms the JIT up; the report is the median of
 * the rest.
 */
public final class GraphBenchmark {

    /** What one benchmark measures. */
    public record Settings(long records, int runs, int keys, int hidden, int horizon, boolean objectReuse, long seed) {
        public Settings {
            if (records < 1 || runs < 2 || keys < 1 || hidden < 1 || horizon < 1) {
                throw new IllegalArgumentException(
                        "records, keys, hidden and horizon must be positive and runs at least 2 (one warms up)");
            }
        }

        public static Settings defaults() {
            return new Settings(500_000, 4, 1024, 64, 24, true, 42L);
        }

        /** Tiny, to check that the benchmark runs; the figures mean nothing. */
        public static Settings quick() {
            return new Settings(3_000, 2, 16, 8, 4, true, 42L);
        }

        public Settings withObjectReuse(boolean reuse) {
            return new Settings(records, runs, keys, hidden, horizon, reuse, seed);
        }
    }

    // The sinks run in this JVM's MiniCluster; they report through statics because Flink
    // serializes the sink objects it is given.
    private static final AtomicLong FIRST = new AtomicLong();
    private static final AtomicLong LAST = new AtomicLong();
    private static final AtomicLong FORECASTS = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();

    private final Settings s;

    public GraphBenchmark(Settings settings) {
        this.s = settings;
    }

    /** Runs the benchmark; one line per run and the report on {@code out}, progress on {@code err}. */
    public void run(PrintWriter out, PrintWriter err) throws Exception {
        ModelSpec spec = ModelSpec.lstm(s.hidden(), 1, s.horizon()).withHead(HeadKind.GAUSSIAN);
        LstmForecaster model = LstmForecaster.fromSnapshot(Dl4jModels.toSnapshot(
                Dl4jModels.build(spec, s.seed(), TrainingOptions.defaults()), spec, "bench", 1L, null, null));
        out.printf(Locale.ROOT, "# forecast graph benchmark: %d records over %d keys per run, LSTM H=%d, horizon %d,"
                        + " Gaussian head, %s kernel; parallelism 1; object reuse %s%n",
                s.records(), s.keys(), s.hidden(), s.horizon(), model.kernelDescription(), s.objectReuse());
        double[] micros = new double[s.runs() - 1];
        long forecasts = 0;
        long bytes = 0;
        for (int run = 0; run < s.runs(); run++) {
            err.printf(Locale.ROOT, "run %d of %d%s%n", run + 1, s.runs(), run == 0 ? " (warm-up)" : "");
            err.flush();
            double perRecord = runOnce(model);
            forecasts = FORECASTS.get();
            bytes = BYTES.get();
            out.printf(Locale.ROOT, "run %d%s: forecasts=%d us_per_record=%.2f records_per_s=%.0f bytes_out=%d%n",
                    run, run == 0 ? " (warm-up)" : "", forecasts, perRecord, 1e6 / perRecord, bytes);
            if (run > 0) {
                micros[run - 1] = perRecord;
            }
        }
        java.util.Arrays.sort(micros);
        double median = micros.length % 2 == 1
                ? micros[micros.length / 2]
                : (micros[micros.length / 2 - 1] + micros[micros.length / 2]) / 2;
        out.printf(Locale.ROOT, "graph H=%d records=%d us_per_record=%.2f records_per_s=%.0f range_us=%.2f..%.2f object_reuse=%s%n",
                s.hidden(), forecasts, median, 1e6 / median, micros[0], micros[micros.length - 1], s.objectReuse());
        out.flush();
    }

    private double runOnce(LstmForecaster model) throws Exception {
        FIRST.set(0);
        LAST.set(0);
        FORECASTS.set(0);
        BYTES.set(0);
        Configuration config = new Configuration();
        config.set(ForecastJobOptions.PARALLELISM, 1);
        config.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ForecastJob.configure(env, config);
        int keys = s.keys();
        ForecastJob.build(env, config,
                new DataGeneratorSource<>(i -> record(i, keys), s.records(), IngestRecordTypeInfo.INSTANCE),
                new EncodingSink<>(Forecast.getClassSchema(), f -> f.getSeriesId().toString(), true),
                new EncodingSink<>(DeadLetter.getClassSchema(), d -> null, false),
                new EncodingSink<>(AnomalyAlert.getClassSchema(), a -> a.getSeriesId().toString(), false),
                model);
        if (!s.objectReuse()) {
            env.getConfig().disableObjectReuse();
        }
        env.execute("forecast graph benchmark");
        if (FORECASTS.get() != s.records()) {
            throw new IllegalStateException("expected " + s.records() + " forecasts, the sink saw " + FORECASTS.get());
        }
        return (LAST.get() - FIRST.get()) / 1e3 / Math.max(1, FORECASTS.get() - 1);
    }

    /**
     * Record i: within each round of {@code keys} records every key comes once, in a scattered
     * order, one hour after its previous point; so every record is on time and forecast.
     */
    static IngestRecord record(long i, int keys) {
        int key = (int) ((i * 7919) % keys);
        long hour = i / keys;
        double value = 50 + 10 * Math.sin(2 * Math.PI * hour / 24.0 + key) + key % 7;
        Observation o = Observation.newBuilder()
                .setSeriesId("sensor-" + key)
                .setEventTime(Instant.ofEpochMilli(1_704_067_200_000L + hour * 3_600_000L))
                .setValue(value)
                .setFeatures(null)
                .build();
        return IngestRecord.newBuilder().setObservation(o).setDeadLetter(null)
                .setSourceTopic("bench").setSourcePartition(0).setSourceOffset(i).build();
    }

    /** Encodes each record with the Kafka sink's serializer and drops the bytes. */
    private static final class EncodingSink<T extends SpecificRecord> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final AvroKafkaSerializer<T> serializer;
        private final boolean timed;

        EncodingSink(Schema schema, SerializableFunction<T, String> keyOf, boolean timed) {
            this.serializer = new AvroKafkaSerializer<>("bench", schema, keyOf);
            this.timed = timed;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    int size = serializer.serialize(element, null, null).value().length;
                    if (timed) {
                        long now = System.nanoTime();
                        FIRST.compareAndSet(0, now);
                        LAST.set(now);
                        FORECASTS.incrementAndGet();
                        BYTES.addAndGet(size);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
