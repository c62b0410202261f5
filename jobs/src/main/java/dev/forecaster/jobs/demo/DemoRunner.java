package dev.forecaster.jobs.demo;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.forecaster.model.kernel.KernelWarmUp;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.jobs.cli.ModelProvider;
import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.EmbeddedStack;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;
import dev.forecaster.jobs.train.ModelsTopic;
import dev.forecaster.jobs.train.RetrainConnectors;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.jobs.train.RetrainTopics;
import dev.forecaster.jobs.train.TrainerJob;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;

/**
 * Runs the whole product on the embedded stack: trains (or loads) the model, starts Kafka and
 * Flink, publishes the model to the models topic as the serving version, streams the demo data
 * through the hot-swap forecast job (with the trainer job beside it unless retraining is off) and
 * watches the committed outputs.
 */
public final class DemoRunner {

    /** Give up when no output has been committed for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

    private final DemoSettings settings;
    private final PrintStream out;
    private final PrintStream err;

    public DemoRunner(DemoSettings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    public DemoSummary run() throws Exception {
        long started = System.nanoTime();
        DemoData data = settings.csv() != null
                ? CsvWideData.read(settings.csv(), 0.3)
                : new SyntheticSensors(settings.keys(), settings.historySteps(), settings.seed());
        ModelSnapshot snapshot = settings.model() != null
                ? ModelProvider.load(settings.model())
                : ModelProvider.train(data.trainingHistory(), data.trainingTimes(), trainingOptions(settings), err);
        if (settings.saveModel() != null) {
            SnapshotFiles.write(snapshot, settings.saveModel());
            err.println("model saved to " + settings.saveModel());
        }
        // Refuse an unusable snapshot before starting anything.
        LstmForecaster kernel = ModelProvider.kernel(snapshot);

        Configuration config = new Configuration();
        config.set(ForecastJobOptions.PARALLELISM, settings.parallelism());
        config.set(ForecastJobOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
        config.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "forecaster-demo");
        config.set(ForecastJobOptions.ALERTS_TOPIC, settings.alertsTopic());
        // The demo's streams last seconds to minutes, not the production hour.
        config.set(RetrainOptions.PERIOD, settings.retrainPeriod());

        List<TopicSpec> topics = new ArrayList<>(ForecastTopics.specs(config, settings.partitions()));
        topics.addAll(RetrainTopics.specs(config, settings.partitions()));
        int slots = settings.parallelism() + (settings.retrain() ? config.get(RetrainOptions.WORKERS) : 0);
        // The job's operators run in this JVM: warmed up now, while the JIT compiler has nothing
        // else to do, the kernel is compiled before the first record instead of seconds into the
        // stream (the operators' own warm-up then finds it done).
        KernelWarmUp.Result warm = KernelWarmUp.ensureWarm(kernel, ForecastJobOptions.kernelWarmUp(config));
        if (warm.ran()) {
            err.printf(Locale.ROOT, "step kernel warmed up: %d steps in %d ms (last %.1f us/step)%n",
                    warm.steps(), warm.elapsed().toMillis(), warm.lastMicrosPerStep());
        }
        err.println("starting Kafka (KRaft) and Flink ...");
        try (EmbeddedStack stack = EmbeddedStack.start(slots, topics)) {
            Thread shutdown = new Thread(() -> closeQuietly(stack), "forecaster-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);
            try {
                config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
                return stream(stack, config, data, snapshot, started);
            } finally {
                if (!isShuttingDown()) {
                    Runtime.getRuntime().removeShutdownHook(shutdown);
                }
            }
        }
    }

    private DemoSummary stream(EmbeddedStack stack, Configuration config, DemoData data,
            ModelSnapshot initial, long started) throws Exception {
        ModelsTopic models = new ModelsTopic(stack.bootstrapServers(), config.get(RetrainOptions.MODELS_TOPIC),
                KafkaTopics.DEFAULT_TIMEOUT);
        // The demo's broker is fresh, so this publishes the model; seed() keeps run and demo alike.
        ModelSnapshot snapshot = models.seed(initial);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ForecastJob.configure(env, config);
        ForecastJob.buildServing(env, config, KafkaConnectors.observations(config),
                RetrainConnectors.models(config, "-serving"), KafkaConnectors.forecasts(config),
                KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                RetrainConnectors.trainingWindowsSink(config), snapshot);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("forecaster-demo");
        JobID job = stack.flink().submit(graph);
        stack.flink().awaitRunning(job, 60_000);
        JobID trainer = settings.retrain() ? submitTrainer(stack, config, snapshot) : null;
        err.println("Flink web UI: " + stack.flink().webUi() + "  (Kafka at " + stack.bootstrapServers() + ")");

        GroundTruth truth = new GroundTruth();
        List<String> shown = data.keys().subList(0, Math.min(4, data.keys().size()));
        String bootstrap = config.get(ForecastJobOptions.BOOTSTRAP_SERVERS);
        long streamStart = System.nanoTime();
        try (DemoProducer producer = new DemoProducer(bootstrap, config.get(ForecastJobOptions.OBSERVATIONS_TOPIC),
                        data.stream(), truth, settings.rate(), settings.maxEvents(), settings.badEvery(), settings.seed());
                DemoMonitor monitor = new DemoMonitor(bootstrap, config.get(ForecastJobOptions.FORECASTS_TOPIC),
                        config.get(ForecastJobOptions.DEAD_LETTERS_TOPIC), config.get(ForecastJobOptions.ALERTS_TOPIC),
                        truth, shown)) {
            Thread producing = new Thread(producer, "forecaster-demo-producer");
            producing.setDaemon(true);
            producing.start();

            long lastProgress = System.nanoTime();
            long lastRender = 0;
            long seen = 0;
            boolean redraw = settings.liveView() && System.console() != null;
            while (true) {
                monitor.poll(Duration.ofMillis(200));
                long now = System.nanoTime();
                long outputs = monitor.forecasts() + monitor.deadLetters();
                if (outputs > seen) {
                    seen = outputs;
                    lastProgress = now;
                }
                if (settings.liveView() && now - lastRender > (redraw ? 1_000_000_000L : 5_000_000_000L)) {
                    lastRender = now;
                    monitor.render(out, redraw, producer.produced(), (now - streamStart) / 1e9,
                            stack.flink().webUi().toString());
                }
                if (!producing.isAlive() && outputs >= producer.produced()) {
                    break;
                }
                if (now - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no output committed for " + STALL_TIMEOUT.toSeconds()
                            + " s; job status " + stack.flink().status(job));
                }
                JobStatus status = stack.flink().status(job);
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("the forecast job stopped: " + status);
                }
            }
            double streamSeconds = (System.nanoTime() - streamStart) / 1e9;
            // Alerts go to their own transactions, committed on the same checkpoints as the
            // forecasts; give the last commit a moment to land before counting them.
            long drainUntil = System.nanoTime() + 2 * Math.max(500, settings.checkpointInterval().toMillis()) * 1_000_000L;
            while (System.nanoTime() < drainUntil) {
                monitor.poll(Duration.ofMillis(100));
            }
            stack.flink().cancel(job);
            if (trainer != null) {
                stack.flink().cancel(trainer);
            }
            // 0 would mean the models topic lost the seeded model: the summary shows it rather than hide it.
            long newest = models.newest(snapshot.getName()).map(ModelSnapshot::getVersion).orElse(0L);
            if (settings.retrain()) {
                err.println("retraining: newest model " + snapshot.getName() + " v" + newest
                        + (newest > snapshot.getVersion() ? " (promoted during the demo)" : " (none promoted)"));
            }
            return new DemoSummary(producer.produced(), monitor.forecasts(), monitor.deadLetters(), monitor.alerts(),
                    producer.badProduced(),
                    monitor.score().modelMae(), monitor.score().persistenceMae(),
                    (System.nanoTime() - started) / 1e9, streamSeconds,
                    ProcessMemory.peakRssMb(), ProcessMemory.peakHeapMb(), newest);
        }
    }

    /** The trainer job beside the forecast job, on its own slots, transactions and consumer groups. */
    private JobID submitTrainer(EmbeddedStack stack, Configuration config, ModelSnapshot serving) throws Exception {
        Configuration trainer = new Configuration(config);
        trainer.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "forecaster-demo-trainer");
        trainer.set(ForecastJobOptions.GROUP_ID, config.get(ForecastJobOptions.GROUP_ID) + "-trainer");
        trainer.set(ForecastJobOptions.PARALLELISM, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(trainer);
        ForecastJob.configure(env, trainer);
        TrainerJob.buildOnKafka(env, trainer, serving);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("forecaster-demo-trainer");
        JobID job = stack.flink().submit(graph);
        stack.flink().awaitRunning(job, 60_000);
        err.println("trainer job running beside it: " + config.get(RetrainOptions.WORKERS) + " workers, retraining every "
                + settings.retrainPeriod().toSeconds() + " s or on drift");
        return job;
    }

    /** What the demo trains its model with when none is given. */
    static TrainingOptions trainingOptions(DemoSettings settings) {
        return TrainingOptions.builder()
                .seed(settings.seed())
                .hiddenSize(settings.hiddenSize())
                .horizon(settings.horizon())
                .maxIterations(settings.trainIterations())
                .head(settings.head())
                .features(settings.features())
                .target(settings.target())
                .shrink(settings.shrink())
                .scalingMemory(settings.scalingMemory())
                .build();
    }

    private void closeQuietly(EmbeddedStack stack) {
        try {
            err.println("shutting down ...");
            stack.close();
        } catch (Exception e) {
            err.println("shutdown: " + e.getMessage());
        }
    }

    private static boolean isShuttingDown() {
        try {
            Thread probe = new Thread(() -> {});
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
