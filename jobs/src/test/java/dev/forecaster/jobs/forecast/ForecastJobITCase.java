package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import dev.forecaster.jobs.backfill.BackfillJob;
import dev.forecaster.jobs.backfill.InputRow;
import dev.forecaster.jobs.io.DeadLetters;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.EmbeddedFlink;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.testing.FlinkMetrics;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.jobs.train.RetrainConnectors;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.jobs.train.RetrainTopics;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.ModelPolicy;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.ArchitectureSpec;
import dev.forecaster.schema.codec.AvroCodec;

/** The forecast job on a real KRaft broker and a Flink MiniCluster. */
class ForecastJobITCase {

    /**
     * Scaling memory 16, shorter than the 60 observations a key has before the restores below: a
     * checkpoint that lost the memory, or a training window without it, would change the values.
     */
    private static final ModelSnapshot SNAPSHOT = withScalingMemory(TestModels.randomSnapshot(16, 4, 1L, 5L), 16);
    private static final LstmForecaster MODEL = LstmForecaster.fromSnapshot(SNAPSHOT);
    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedFlink flink;

    private final AvroCodec<Forecast> forecastCodec = AvroCodec.of(Forecast.getClassSchema());
    private final AvroCodec<DeadLetter> deadLetterCodec = AvroCodec.of(DeadLetter.getClassSchema());
    private final AvroCodec<AnomalyAlert> alertCodec = AvroCodec.of(AnomalyAlert.getClassSchema());

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        flink = EmbeddedFlink.start(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Configuration config(String name) {
        Configuration c = new Configuration();
        c.set(ForecastJobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        c.set(ForecastJobOptions.OBSERVATIONS_TOPIC, name + "-observations");
        c.set(ForecastJobOptions.FORECASTS_TOPIC, name + "-forecasts");
        c.set(ForecastJobOptions.DEAD_LETTERS_TOPIC, name + "-dead-letters");
        c.set(ForecastJobOptions.ALERTS_TOPIC, name + "-alerts");
        c.set(ForecastJobOptions.GROUP_ID, name);
        c.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, name);
        c.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        c.set(ForecastJobOptions.IDLENESS, Duration.ofSeconds(1));
        c.set(ForecastJobOptions.PARALLELISM, 2);
        return c;
    }

    private static JobID submit(Configuration config, String restorePath) throws Exception {
        Configuration envConfig = new Configuration(config);
        if (restorePath != null) {
            envConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConfig);
        ForecastJob.configure(env, config);
        ForecastJob.build(env, config, KafkaConnectors.observations(config),
                KafkaConnectors.forecasts(config), KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                MODEL);
        // Every test here runs the graph as it ships: records passed between chained operators
        // without copies, so a record changed after its emit would show in the outputs compared.
        assertTrue(env.getConfig().isObjectReuseEnabled(), "the forecast job reuses objects");
        StreamGraph graph = env.getStreamGraph();
        JobID job = flink.submit(graph);
        flink.awaitRunning(job, 60_000);
        return job;
    }

    private List<Forecast> forecasts(Configuration config, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                config.get(ForecastJobOptions.FORECASTS_TOPIC), r -> r.size() >= expected, TIMEOUT);
        List<Forecast> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(forecastCodec.decode(r.value()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static ModelSnapshot withScalingMemory(ModelSnapshot snapshot, int memory) {
        snapshot.setArchitecture(ArchitectureSpec.newBuilder(snapshot.getArchitecture()).setScalingMemory(memory).build());
        return snapshot;
    }

    /** What the operator must produce for each key, computed directly with the model. */
    private static Map<String, List<List<Double>>> expectedMeans(List<Observation> input) {
        SeriesForecaster forecaster = new SeriesForecaster(MODEL);
        Map<String, SeriesScaler> scalers = new HashMap<>();
        Map<String, RecurrentState> states = new HashMap<>();
        Map<String, List<List<Double>>> expected = new HashMap<>();
        for (Observation o : input) {
            String k = o.getSeriesId();
            double[] means = forecaster.observe(scalers.computeIfAbsent(k, x -> MODEL.spec().newScaler()),
                    states.computeIfAbsent(k, x -> MODEL.newState()), 0L, o.getValue());
            expected.computeIfAbsent(k, x -> new ArrayList<>()).add(Arrays.stream(means).boxed().toList());
        }
        return expected;
    }

    /** Exactly one forecast per observation, per-key order kept, with the expected values. */
    private static void assertExactlyOnceInOrder(List<Observation> input, List<Forecast> output) {
        assertEquals(input.size(), output.size(), "one forecast per observation");
        Set<String> seen = new HashSet<>();
        Map<String, List<Forecast>> byKey = new HashMap<>();
        for (Forecast f : output) {
            assertTrue(seen.add(f.getSeriesId() + "@" + f.getOriginTime()), "duplicate forecast " + f.getSeriesId() + "@" + f.getOriginTime());
            byKey.computeIfAbsent(f.getSeriesId(), k -> new ArrayList<>()).add(f);
        }
        Map<String, List<List<Double>>> expected = expectedMeans(input);
        for (Map.Entry<String, List<Forecast>> e : byKey.entrySet()) {
            List<Forecast> fs = e.getValue();
            List<Observation> inputs = input.stream().filter(o -> o.getSeriesId().equals(e.getKey())).toList();
            for (int i = 0; i < fs.size(); i++) {
                assertEquals(inputs.get(i).getEventTime(), fs.get(i).getOriginTime(), "order of key " + e.getKey());
                assertEquals(expected.get(e.getKey()).get(i), fs.get(i).getMeans(), "values of key " + e.getKey() + " #" + i);
            }
        }
    }

    @Test
    void everyObservationYieldsExactlyOneForecastInKeyOrder() throws Exception {
        Configuration config = config("inorder");
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 3));
        List<Observation> input = Observations.interleaved(KEYS, 100, 21L);
        KafkaTestIO.produce(kafka.bootstrapServers(), config.get(ForecastJobOptions.OBSERVATIONS_TOPIC),
                KafkaTestIO.encode(input));

        JobID job = submit(config, null);
        try {
            assertExactlyOnceInOrder(input, forecasts(config, input.size()));
        } finally {
            flink.cancel(job);
        }
    }

    @Test
    void badRecordsGoToDeadLettersWithReasonsAndTheJobKeepsRunning() throws Exception {
        Configuration config = config("bad");
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 1));
        String topic = config.get(ForecastJobOptions.OBSERVATIONS_TOPIC);
        List<Observation> good = Observations.interleaved(List.of("k0", "k1"), 50, 22L);
        byte[] garbage = {0x42, 0x13, 0x37};
        byte[] nan = AvroCodec.<Observation>of(Observation.getClassSchema())
                .encode(Observations.of("k0", Observations.START, Double.NaN));

        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>(KafkaTestIO.encode(good.subList(0, 50)));
        first.add(25, KafkaTestIO.raw("k0", garbage));
        first.add(40, KafkaTestIO.raw("k0", nan));
        KafkaTestIO.produce(kafka.bootstrapServers(), topic, first);

        JobID job = submit(config, null);
        try {
            forecasts(config, 50); // the watermark has passed these once their forecasts are committed
            Observation late = Observations.of("k1", Observations.START, 7.0);
            List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>(KafkaTestIO.encode(List.of(late)));
            second.addAll(KafkaTestIO.encode(good.subList(50, 100)));
            KafkaTestIO.produce(kafka.bootstrapServers(), topic, second);

            List<Forecast> out = forecasts(config, 100);
            assertExactlyOnceInOrder(good, out);

            List<DeadLetter> dead = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                    config.get(ForecastJobOptions.DEAD_LETTERS_TOPIC), r -> r.size() >= 3, TIMEOUT)) {
                dead.add(deadLetterCodec.decode(r.value()));
            }
            assertEquals(3, dead.size(), "dead letters: " + dead);
            Map<String, DeadLetter> byError = new HashMap<>();
            dead.forEach(d -> byError.put(d.getError(), d));
            assertArrayEquals(garbage, bytes(byError.get(DeadLetters.MALFORMED).getRawValue()));
            assertArrayEquals(nan, bytes(byError.get(DeadLetters.INVALID_VALUE).getRawValue()));
            assertTrue(byError.get(DeadLetters.INVALID_VALUE).getReason().contains("not finite"));
            DeadLetter lateLetter = byError.get(DeadLetters.LATE_EVENT);
            assertTrue(lateLetter.getReason().contains("allowed lateness"), lateLetter.getReason());
            assertEquals(topic, lateLetter.getSourceTopic());
            // The same three as an operator's dashboard counts them, through Flink's REST API.
            Duration metrics = Duration.ofSeconds(30);
            assertEquals(1, FlinkMetrics.await(flink.webUi(), job, "route dead letters", "deadLettersMalformed",
                    "sum", metrics, v -> v >= 1));
            assertEquals(1, FlinkMetrics.await(flink.webUi(), job, "route dead letters", "deadLettersInvalidValue",
                    "sum", metrics, v -> v >= 1));
            assertEquals(1, FlinkMetrics.await(flink.webUi(), job, "forecast", "deadLettersLateEvent",
                    "sum", metrics, v -> v >= 1));
            assertEquals(JobStatus.RUNNING, flink.status(job));
        } finally {
            flink.cancel(job);
        }
    }

    @Test
    void cancelAndRestoreFromCheckpointLosesAndDuplicatesNothing() throws Exception {
        Configuration config = config("restore");
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 3));
        String topic = config.get(ForecastJobOptions.OBSERVATIONS_TOPIC);
        List<Observation> input = Observations.interleaved(KEYS, 120, 23L);
        int half = input.size() / 2;
        KafkaTestIO.produce(kafka.bootstrapServers(), topic, KafkaTestIO.encode(input.subList(0, half)));

        JobID first = submit(config, null);
        forecasts(config, half);
        // More input arrives while the job runs; some of it is processed after the last checkpoint.
        KafkaTestIO.produce(kafka.bootstrapServers(), topic, KafkaTestIO.encode(input.subList(half, half + 60)));
        Thread.sleep(300);
        flink.cancel(first);
        Optional<Path> checkpoint = flink.latestCheckpoint(first);
        assertTrue(checkpoint.isPresent(), "a retained checkpoint");

        KafkaTestIO.produce(kafka.bootstrapServers(), topic, KafkaTestIO.encode(input.subList(half + 60, input.size())));
        JobID second = submit(config, checkpoint.get().toUri().toString());
        try {
            List<Forecast> output = forecasts(config, input.size());
            // Nothing may be dead-lettered either: a restore replays a backlog, and a slowly read
            // partition must not have its in-order events declared late.
            List<String> deadLetters = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                    config.get(ForecastJobOptions.DEAD_LETTERS_TOPIC), r -> false, Duration.ZERO)) {
                deadLetters.add(deadLetterCodec.decode(r.value()).getReason());
            }
            assertEquals(List.of(), deadLetters, "dead letters");
            assertExactlyOnceInOrder(input, output);
        } finally {
            flink.cancel(second);
        }
    }

    /**
     * Upgrading a deployment from the fixed-model graph ({@code build}) to the hot-swap graph
     * ({@code buildServing}) keeps every key's state: the forecast operator has the same uid and
     * keyed state in both, so a checkpoint of the first restores into the second, and the forecasts
     * go on exactly as an uninterrupted run's. Keys start their history buffer at the restore (the
     * fixed graph keeps none), so their training windows hold only what came after it.
     */
    @Test
    void aFixedModelCheckpointRestoresIntoTheHotSwapGraph() throws Exception {
        Configuration config = config("upgrade");
        config.set(RetrainOptions.MODELS_TOPIC, "upgrade-models");
        config.set(RetrainOptions.TRAINING_WINDOWS_TOPIC, "upgrade-training-windows");
        config.set(RetrainOptions.SAMPLE_EVERY, 10);
        config.set(RetrainOptions.SAMPLE_MIN_POINTS, 20);
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 3));
        KafkaTopics.create(kafka.bootstrapServers(), RetrainTopics.specs(config, 1));
        String topic = config.get(ForecastJobOptions.OBSERVATIONS_TOPIC);
        List<Observation> input = Observations.interleaved(KEYS, 120, 29L);
        int half = input.size() / 2;
        KafkaTestIO.produce(kafka.bootstrapServers(), topic, KafkaTestIO.encode(input.subList(0, half)));

        JobID fixed = submit(config, null);
        forecasts(config, half);
        flink.cancel(fixed);
        Optional<Path> checkpoint = flink.latestCheckpoint(fixed);
        assertTrue(checkpoint.isPresent(), "a retained checkpoint");

        KafkaTestIO.produce(kafka.bootstrapServers(), topic, KafkaTestIO.encode(input.subList(half, input.size())));
        JobID serving = submitServing(config, checkpoint.get().toUri().toString());
        try {
            assertExactlyOnceInOrder(input, forecasts(config, input.size()));
            AvroCodec<TrainingWindow> windowCodec = AvroCodec.of(TrainingWindow.getClassSchema());
            List<TrainingWindow> windows = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                    config.get(RetrainOptions.TRAINING_WINDOWS_TOPIC), r -> r.size() >= KEYS.size(), TIMEOUT)) {
                windows.add(windowCodec.decode(r.value()));
            }
            assertFalse(windows.isEmpty(), "training windows after the upgrade");
            Map<String, Long> before = new HashMap<>();
            input.subList(0, half).forEach(o -> before.merge(o.getSeriesId(), 1L, Long::sum));
            for (TrainingWindow w : windows) {
                // The buffer began at the restore: everything before it counts as evicted.
                assertEquals(before.get(w.getSeriesId()), w.getStartCount(), "start of " + w.getSeriesId() + "'s window");
                assertEquals(16, w.getStartMemory(), "the window's start statistics keep the model's memory");
                assertTrue(w.getValues().size() <= 120 - before.get(w.getSeriesId()), "window of " + w.getSeriesId());
            }
        } finally {
            flink.cancel(serving);
        }
    }

    private static JobID submitServing(Configuration config, String restorePath) throws Exception {
        Configuration envConfig = new Configuration(config);
        envConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConfig);
        ForecastJob.configure(env, config);
        ForecastJob.buildServing(env, config, KafkaConnectors.observations(config),
                RetrainConnectors.models(config, "-serving"), KafkaConnectors.forecasts(config),
                KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                RetrainConnectors.trainingWindowsSink(config), SNAPSHOT);
        JobID job = flink.submit(env.getStreamGraph());
        flink.awaitRunning(job, 60_000);
        return job;
    }

    /**
     * The streaming job and the backfill run the same keyed operator; given the same model and the
     * same rows, they must forecast and score every row identically, data problems included, and
     * raise the same alerts in the same order.
     */
    @Test
    void streamingAndBackfillForecastScoreAndAlertTheSameRowsIdentically() throws Exception {
        Configuration config = config("consistency");
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 1));
        SplittableRandom random = new SplittableRandom(31L);
        List<Observation> input = new ArrayList<>();
        List<InputRow> rows = new ArrayList<>();
        long t = Observations.START;
        for (int i = 0; i < 600; i++) {
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / 24.0) + random.nextGaussian()
                    + (i == 250 ? 25 : 0) + (i == 420 ? -25 : 0) + (i >= 450 ? 20 : 0);
            long time = i == 120 ? t - Observations.STEP : i == 200 ? t - 2 * Observations.STEP - 600_000 : t;
            input.add(Observations.of(BackfillJob.SERIES_ID, time, v));
            rows.add(new InputRow(i, Long.toString(time), Double.toString(v), time, v, true));
            t += i % 100 == 99 ? 5 * Observations.STEP : Observations.STEP;
        }
        BackfillJob.Result backfilled = BackfillJob.run(rows,
                new SeriesProcessor(ModelPolicy.fixed(MODEL), AnomalyScorer.defaults()), done -> {});
        assertTrue(backfilled.alerts().size() >= 3, "the spike, the dip and the shift alert: " + backfilled.alerts());

        KafkaTestIO.produce(kafka.bootstrapServers(), config.get(ForecastJobOptions.OBSERVATIONS_TOPIC),
                KafkaTestIO.encode(input));
        JobID job = submit(config, null);
        List<Forecast> streamed;
        List<AnomalyAlert> streamedAlerts = new ArrayList<>();
        try {
            streamed = forecasts(config, input.size());
            // Alerts commit on the same checkpoints as forecasts, in their own transactions.
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestIO.readCommitted(kafka.bootstrapServers(),
                    config.get(ForecastJobOptions.ALERTS_TOPIC), r -> r.size() >= backfilled.alerts().size(), TIMEOUT)) {
                streamedAlerts.add(alertCodec.decode(r.value()));
            }
        } finally {
            flink.cancel(job);
        }

        assertEquals(input.size(), streamed.size());
        for (int i = 0; i < input.size(); i++) {
            Forecast f = streamed.get(i);
            assertEquals(input.get(i).getEventTime(), f.getOriginTime(), "stream order, row " + i);
            assertEquals(Arrays.stream(backfilled.means()[i]).boxed().toList(), f.getMeans(), "forecast of row " + i);
            assertEquals(backfilled.scores()[i], f.getAnomalyScore(), "score of row " + i);
        }
        assertTrue(backfilled.scores()[250] > AlertPolicy.defaults().warning(),
                "the spike is found by both: " + backfilled.scores()[250]);

        assertEquals(backfilled.alerts().stream().map(BackfillJob.RowAlert::alert).toList(), streamedAlerts,
                "the same alerts in the same order");
        for (BackfillJob.RowAlert a : backfilled.alerts()) {
            assertEquals(input.get(a.row()).getEventTime(), a.alert().getEventTime(), "row of " + a);
        }
        List<Integer> alertRows = backfilled.alerts().stream().map(BackfillJob.RowAlert::row).toList();
        assertTrue(alertRows.contains(250) && alertRows.contains(420)
                && alertRows.stream().anyMatch(r -> r >= 450 && r <= 455),
                "the spike and the dip alert at their rows, the shift within 5: " + backfilled.alerts());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
