package dev.forecaster.jobs.forecast;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import dev.forecaster.jobs.io.AvroKafkaSerializer;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;

/**
 * Records per second through the forecast job's graph ({@link ForecastJob#build}) on a MiniCluster
 * at parallelism 1, without Kafka: a generated source of on-time observations (1024 keys, H = 64,
 * horizon 24, Gaussian head) and sinks that encode each record as the Kafka sink's serializer does
 * and drop it. So the figure is the graph's CPU cost per record (ingest routing, keyBy, forecast
 * operator, state, checkpoints every 5 s, encoding), not a broker's. Timed from the first record
 * reaching the forecast sink to the last. Not a test: the figures behind docs/kernel.md "Session 8".
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseG1GC -Xmx3g \
 *   -cp "jobs/target/classes:jobs/target/test-classes:$(cat cp)" \
 *   dev.forecaster.jobs.forecast.ForecastGraphProbe [records] [runs]
 * </pre>
 *
 * {@code -Dprobe.copy=true} turns object reuse off again, to time the copies Flink makes between
 * chained operators without it.
 */
public final class ForecastGraphProbe {

    private static final int HIDDEN = 64;
    private static final int HORIZON = 24;
    private static final int KEYS = 1024;
    private static final AtomicLong FIRST = new AtomicLong();
    private static final AtomicLong LAST = new AtomicLong();
    private static final AtomicLong COUNT = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();

    private ForecastGraphProbe() {}

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        LstmForecaster model = TestModels.randomGaussianLstm(HIDDEN, HORIZON, 1L, 7L);
        boolean copy = Boolean.getBoolean("probe.copy");
        for (int run = 0; run < runs; run++) {
            FIRST.set(0);
            COUNT.set(0);
            BYTES.set(0);
            Configuration config = new Configuration();
            config.set(ForecastJobOptions.PARALLELISM, 1);
            config.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            ForecastJob.configure(env, config);
            ForecastJob.build(env, config,
                    new DataGeneratorSource<>(ForecastGraphProbe::record, records, new AvroTypeInfo<>(IngestRecord.class)),
                    new EncodingSink<>(Forecast.getClassSchema(), f -> f.getSeriesId().toString(), true),
                    new EncodingSink<>(DeadLetter.getClassSchema(), d -> null, false),
                    new EncodingSink<>(AnomalyAlert.getClassSchema(), a -> a.getSeriesId().toString(), false),
                    model);
            if (copy) {
                env.getConfig().disableObjectReuse();
            }
            env.execute("forecast graph probe");
            double seconds = (LAST.get() - FIRST.get()) / 1e9;
            System.out.printf("run %d: object reuse %s, %d forecasts in %.2f s, %.0f records/s, %.2f us/record, %d bytes%n",
                    run, !copy, COUNT.get(), seconds, COUNT.get() / seconds, 1e6 * seconds / COUNT.get(), BYTES.get());
        }
    }

    /** Record i: keys in a scattered order within each round of 1024, each key one step per round. */
    private static IngestRecord record(long i) {
        int key = (int) ((i * 7919) % KEYS);
        long time = Observations.START + (i / KEYS) * Observations.STEP;
        double value = 50 + 10 * Math.sin(i * 0.001 + key) + (key % 7);
        return Observations.ingest(Observations.of("sensor-" + key, time, value), i);
    }

    /** Encodes each record with the Kafka sink's serializer and drops the bytes. */
    private static final class EncodingSink<T extends SpecificRecord> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final AvroKafkaSerializer<T> serializer;
        private final boolean timed;

        EncodingSink(Schema schema, SerializableFunction<T, String> keyOf, boolean timed) {
            this.serializer = new AvroKafkaSerializer<>("probe", schema, keyOf);
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
                        COUNT.incrementAndGet();
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
