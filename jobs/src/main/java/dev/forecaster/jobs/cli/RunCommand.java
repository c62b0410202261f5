package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.ForecastTopics;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.model.kernel.KernelWarmUp;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.jobs.train.ModelsTopic;
import dev.forecaster.jobs.train.RetrainConnectors;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.jobs.train.RetrainTopics;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the forecast job against an external Kafka. Started from bin/forecaster it runs on a local",
            "Flink MiniCluster; submitted with 'flink run forecaster-job.jar ...' it runs on that cluster.",
            "The job serves the newest model of --model's name in the models topic (publishing --model there",
            "first if the topic has nothing as new), swaps in models the trainer promotes ('train'), and writes",
            "training windows. Any job option can be set with -D key=value; see the README for the keys."
        })
public final class RunCommand extends UsageErrors implements Callable<Integer> {



    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model snapshot to serve (from 'demo --save-model').")
    Path model;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC",
            description = "Topic of the anomaly alerts, written exactly-once (default: the forecaster.topics.alerts option, 'alerts').")
    String alertsTopic;

    @Option(names = "--parallelism", description = "Job parallelism (default: the forecaster.parallelism option).")
    Integer parallelism;

    @Option(names = "--create-topics", description = "Create missing topics with the partitions from --partitions and retention forever.")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions for --create-topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set a job option (forecaster.*) or a Flink option.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(model)) {
            throw usage("cannot read --model file " + model);
        }
        Configuration config = configuration();
        ModelSnapshot initial = SnapshotFiles.read(model);
        // Refuse an unusable snapshot before anything is published. Straight from the snapshot:
        // the job jar carries no DL4J, and serving does not need it.
        LstmForecaster kernel = LstmForecaster.fromSnapshot(initial);
        if (createTopics) {
            KafkaTopics.create(bootstrapServers, ForecastTopics.specs(config, partitions));
            KafkaTopics.create(bootstrapServers, RetrainTopics.specs(config, partitions));
        }
        ModelSnapshot serving = new ModelsTopic(bootstrapServers, config.get(RetrainOptions.MODELS_TOPIC),
                KafkaTopics.DEFAULT_TIMEOUT).seed(initial);
        System.err.println("serving " + serving.getName() + " v" + serving.getVersion()
                + (serving == initial ? " (--model)" : " (newest in the models topic)"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ForecastJob.configure(env, config);
        ForecastJob.buildServing(env, config, KafkaConnectors.observations(config),
                RetrainConnectors.models(config, "-serving"), KafkaConnectors.forecasts(config),
                KafkaConnectors.deadLetters(config), KafkaConnectors.alerts(config),
                // The newest model from the start, not only once the broadcast input delivers it.
                RetrainConnectors.trainingWindowsSink(config), serving);
        if (env instanceof LocalStreamEnvironment) {
            // The operators run in this JVM: warm the kernel up before the cluster's start-up
            // keeps the JIT compiler busy (see KernelWarmUp).
            KernelWarmUp.ensureWarm(kernel, ForecastJobOptions.kernelWarmUp(config));
            System.err.println("running on a local Flink MiniCluster; Ctrl-C stops it");
        }
        env.execute("forecaster");
        return 0;
    }

    Configuration configuration() {
        Configuration config = Configuration.fromMap(properties);
        config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        if (parallelism != null) {
            config.set(ForecastJobOptions.PARALLELISM, parallelism);
        }
        if (alertsTopic != null) {
            config.set(ForecastJobOptions.ALERTS_TOPIC, alertsTopic);
        }
        for (String key : properties.keySet()) {
            if (key.startsWith("forecaster.") && Stream.concat(ForecastJobOptions.all().stream(), RetrainOptions.all().stream())
                    .map(ConfigOption::key).noneMatch(key::equals)) {
                throw usage("unknown option -D " + key);
            }
        }
        try {
            ForecastJobOptions.alertPolicy(config);
        } catch (IllegalArgumentException e) {
            throw usage("alert options: " + e.getMessage());
        }
        return config;
    }
}
