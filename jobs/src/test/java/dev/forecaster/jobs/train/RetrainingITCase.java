package dev.forecaster.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.EmbeddedFlink;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.EmbeddedKafkaBroker;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.testing.FlinkMetrics;
import dev.forecaster.jobs.testing.KafkaTestIO;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.model.train.LstmTrainer;
import dev.forecaster.model.train.TrainingListener;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * The forecast job and the trainer job side by side on the embedded broker and a MiniCluster, on
 * a stream whose regime changes halfway: drift triggers retraining, a deliberately broken first
 * candidate (NaN parameters) is rejected while serving goes on, a later one is promoted through
 * the models topic and swapped in, and the error falls; every observation gets exactly one
 * committed forecast across the swap.
 */
class RetrainingITCase {

    private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4", "k5");
    private static final int PHASE_A = 300;
    private static final int PHASE_B1 = 200;
    private static final int PHASE_B2 = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedFlink flink;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        flink = EmbeddedFlink.start(4);
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

    /** Regime A: a slow daily cycle; regime B: a fast cycle of larger amplitude. */
    private static double value(int key, int t, Random noise) {
        double level = 50 + 10 * key;
        if (t < PHASE_A) {
            return level * (1 + 0.2 * Math.sin(2 * Math.PI * t / 24.0 + key)) + 0.3 * noise.nextGaussian();
        }
        return level * (1 + 0.4 * Math.sin(2 * Math.PI * t / 6.0 + key)) + 0.3 * noise.nextGaussian();
    }

    private static List<Observation> phase(int from, int to, Random noise) {
        List<Observation> out = new ArrayList<>();
        for (int t = from; t < to; t++) {
            for (int k = 0; k < KEYS.size(); k++) {
                out.add(Observations.of(KEYS.get(k), Observations.START + t * Observations.STEP, value(k, t, noise)));
            }
        }
        return out;
    }

    @Test
    void driftRetrainsRejectsABrokenCandidateAndSwapsWithoutLosingForecasts() throws Exception {
        Configuration config = new Configuration();
        config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(ForecastJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        config.set(ForecastJobOptions.IDLENESS, Duration.ofSeconds(1));
        config.set(ForecastJobOptions.PARALLELISM, 2);
        config.set(RetrainOptions.HISTORY_LENGTH, 96);
        config.set(RetrainOptions.SAMPLE_EVERY, 12);
        config.set(RetrainOptions.WORKERS, 2);
        config.set(RetrainOptions.WINDOW_LENGTH, 32);
        config.set(RetrainOptions.TBPTT_LENGTH, 16);
        config.set(RetrainOptions.LOCAL_BATCHES, 15);
        config.set(RetrainOptions.LEARNING_RATE, 1e-2);
        config.set(RetrainOptions.WINDOWS_PER_WORKER, 64);
        config.set(RetrainOptions.ROUNDS_PER_RETRAIN, 2);
        config.set(RetrainOptions.HELD_OUT_EVERY, 4);
        config.set(RetrainOptions.HELD_OUT_WINDOWS, 12);
        config.set(RetrainOptions.MIN_HELD_OUT, 4);
        config.set(RetrainOptions.DRIFT_WINDOW, 8);
        config.set(RetrainOptions.DRIFT_FACTOR, 1.3);
        config.set(RetrainOptions.RETRY_DELAY, Duration.ZERO);
        config.set(RetrainOptions.STRAGGLER_TIMEOUT, Duration.ofSeconds(30));
        config.set(RetrainOptions.INJECT_NAN_ROUND, 0);
        KafkaTopics.create(kafka.bootstrapServers(), ForecastTopics.specs(config, 2));
        KafkaTopics.create(kafka.bootstrapServers(), RetrainTopics.specs(config, 2));

        // The serving model knows regime A only.
        Random noise = new Random(3);
        List<Observation> a = phase(0, PHASE_A, noise);
        List<double[]> history = new ArrayList<>();
        for (String key : KEYS) {
            history.add(a.stream().filter(o -> o.getSeriesId().equals(key)).mapToDouble(Observation::getValue).toArray());
        }
        ModelSnapshot initial = new LstmTrainer().train(history, TrainingOptions.builder().seed(1).hiddenSize(8)
                .horizon(4).windowLength(32).tbpttLength(16).batchSize(16).maxIterations(150).learningRate(1e-2)
                .validationFraction(0).evaluate(false).modelName("regime-test").build(), TrainingListener.NONE);

        JobID forecastJob = submitForecast(config, initial);
        JobID trainerJob = submitTrainer(config, initial);
        // A window no forecast job writes (a NaN value, an impossible memory) is dropped with its
        // reason; if it reached the workers or the coordinator, the trainer would fail on it at
        // every restart and never promote.
        KafkaTestIO.produce(kafka.bootstrapServers(), config.get(RetrainOptions.TRAINING_WINDOWS_TOPIC),
                List.of(KafkaTestIO.raw("k0", corruptWindow(false)), KafkaTestIO.raw("k1", corruptWindow(true))));
        List<Observation> b1 = phase(PHASE_A, PHASE_A + PHASE_B1, noise);
        List<Observation> b2 = phase(PHASE_A + PHASE_B1, PHASE_A + PHASE_B1 + PHASE_B2, noise);
        String observations = config.get(ForecastJobOptions.OBSERVATIONS_TOPIC);
        KafkaTestIO.produce(kafka.bootstrapServers(), observations, KafkaTestIO.encode(a));
        KafkaTestIO.produce(kafka.bootstrapServers(), observations, KafkaTestIO.encode(b1));

        List<ModelSnapshot> models = read(config.get(RetrainOptions.MODELS_TOPIC), ModelSnapshot.getClassSchema(), 1);
        assertEquals(1, models.size(), "one promoted model");
        ModelSnapshot promoted = models.get(0);
        assertEquals(initial.getVersion() + 1, promoted.getVersion());
        assertEquals(initial.getVersion(), promoted.getParentVersion());
        assertEquals(1.0, promoted.getMetrics().get("trigger_drift"), "drift triggered it");
        assertTrue(promoted.getMetrics().get("candidates_rejected_before") >= 1, "the NaN candidate was rejected first");
        assertTrue(promoted.getMetrics().get("candidate_mse") < promoted.getMetrics().get("serving_mse"));

        // The forecast job reads the models topic on its own; give it a moment to take the swap
        // before the last phase arrives (the assertions below name the race if it loses).
        Thread.sleep(3000);
        KafkaTestIO.produce(kafka.bootstrapServers(), observations, KafkaTestIO.encode(b2));
        int total = a.size() + b1.size() + b2.size();
        List<Forecast> forecasts = read(config.get(ForecastJobOptions.FORECASTS_TOPIC), Forecast.getClassSchema(), total);

        // What an operator's dashboard sees, through Flink's REST API: every forecast subtask
        // serves the promoted version, the two unusable windows were counted, one model promoted.
        Duration metricsTimeout = Duration.ofSeconds(30);
        assertEquals(promoted.getVersion(), FlinkMetrics.await(flink.webUi(), forecastJob, "forecast",
                "servedModelVersion", "min", metricsTimeout, v -> v == promoted.getVersion()));
        assertEquals(2, FlinkMetrics.await(flink.webUi(), trainerJob, "usable windows",
                "trainingWindowsDropped", "sum", metricsTimeout, v -> v >= 2));
        assertEquals(1, FlinkMetrics.await(flink.webUi(), trainerJob, "training coordinator",
                "modelsPromoted", "sum", metricsTimeout, v -> v >= 1));
        flink.cancel(trainerJob);
        flink.cancel(forecastJob);

        // Exactly once under read_committed: one forecast per observation, across the swap.
        assertEquals(total, forecasts.size());
        Map<String, Long> perObservation = forecasts.stream().collect(Collectors.groupingBy(
                f -> f.getSeriesId() + "@" + f.getOriginTime().toEpochMilli(), Collectors.counting()));
        assertEquals(total, perObservation.size());
        assertFalse(forecasts.stream().anyMatch(f -> f.getMeans().stream().anyMatch(m -> !Double.isFinite(m))),
                "no forecast from the NaN candidate");

        // The forecasts of the last phase come from the promoted model; the rolling one-step error
        // after the swap is below the error just before it.
        Map<String, Map<Long, Forecast>> byKey = new HashMap<>();
        forecasts.forEach(f -> byKey.computeIfAbsent(f.getSeriesId(), k -> new HashMap<>())
                .put(f.getOriginTime().toEpochMilli(), f));
        Map<String, Map<Long, Double>> actual = new HashMap<>();
        for (List<Observation> part : List.of(b1, b2)) {
            for (Observation o : part) {
                actual.computeIfAbsent(o.getSeriesId(), k -> new HashMap<>())
                        .put(o.getEventTime().toEpochMilli(), o.getValue());
            }
        }
        double before = 0;
        double after = 0;
        int nBefore = 0;
        int nAfter = 0;
        int swapAt = PHASE_A + PHASE_B1;
        for (String key : KEYS) {
            for (int t = swapAt - 100; t < swapAt + PHASE_B2 - 1; t++) {
                long origin = Observations.START + t * Observations.STEP;
                Forecast f = byKey.get(key).get(origin);
                double e = Math.abs(f.getMeans().get(0) - actual.get(key).get(origin + Observations.STEP));
                if (t < swapAt) {
                    assertEquals(initial.getVersion(), f.getModelVersion(), "before the swap");
                    before += e;
                    nBefore++;
                } else {
                    assertEquals(promoted.getVersion(), f.getModelVersion(), "after the swap");
                    after += e;
                    nAfter++;
                }
            }
        }
        assertTrue(after / nAfter < before / nBefore,
                "error after the swap " + after / nAfter + " vs just before " + before / nBefore);
    }

    private JobID submitForecast(Configuration config, ModelSnapshot initial) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration(config));
        ForecastJob.configure(env, config);
        ForecastJob.buildServing(env, config, KafkaConnectors.observations(config),
                RetrainConnectors.models(config, "-serving"), KafkaConnectors.forecasts(config),
                KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                RetrainConnectors.trainingWindowsSink(config), initial);
        JobID job = flink.submit(env.getStreamGraph());
        flink.awaitRunning(job, 60_000);
        return job;
    }

    private JobID submitTrainer(Configuration config, ModelSnapshot initial) throws Exception {
        Configuration trainer = new Configuration(config);
        trainer.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "trainer");
        trainer.set(ForecastJobOptions.GROUP_ID, "trainer");
        trainer.set(ForecastJobOptions.PARALLELISM, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration(trainer));
        ForecastJob.configure(env, trainer);
        TrainerJob.buildOnKafka(env, trainer, initial);
        JobID job = flink.submit(env.getStreamGraph());
        flink.awaitRunning(job, 60_000);
        return job;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic,
            org.apache.avro.Schema schema, int expected) {
        AvroCodec<T> codec = AvroCodec.of(schema);
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestIO.readCommitted(kafka.bootstrapServers(), topic, r -> r.size() >= expected, TIMEOUT);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(codec.decode(r.value()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** A decodable training window that cannot be used: a NaN value, or a start memory of 1. */
    private static byte[] corruptWindow(boolean badMemory) {
        List<Double> values = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int t = 0; t < 96; t++) {
            values.add(badMemory || t != 40 ? Math.sin(t) : Double.NaN);
            times.add(Observations.START + t * Observations.STEP);
        }
        TrainingWindow window = TrainingWindow.newBuilder()
                .setSeriesId(badMemory ? "k1" : "k0")
                .setEndTime(java.time.Instant.ofEpochMilli(Observations.START + 95 * Observations.STEP))
                .setValues(values)
                .setTimes(times)
                .setStartCount(0)
                .setStartMean(0)
                .setStartM2(0)
                .setStartMemory(badMemory ? 1 : 0)
                .setModelVersion(1L)
                .build();
        return AvroCodec.<TrainingWindow>of(TrainingWindow.getClassSchema()).encode(window);
    }
}
