package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.forecaster.jobs.forecast.ForecastJob;
import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.train.RetrainOptions;
import dev.forecaster.jobs.train.RetrainTopics;
import dev.forecaster.jobs.train.TrainerJob;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the trainer job against an external Kafka: P workers train on the training-windows topic",
            "in parameter-averaging rounds, a coordinator gates each candidate and publishes promoted models",
            "to the compacted models topic. See docs/model-lifecycle.md; -D sets forecaster.train.*,",
            "forecaster.gate.*, forecaster.trigger.* and topic options."
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model now serving (the forecast job's --model, or the newest in the models topic).")
    Path model;

    @Option(names = "--workers", description = "P, training workers (default: the forecaster.train.workers option, 2).")
    Integer workers;

    @Option(names = "--create-topics", description = "Create the missing retraining topics (models compacted).")
    boolean createTopics;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set a job option (forecaster.*) or a Flink option.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read --model file " + model);
        }
        if (workers != null && workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1");
        }
        Configuration config = Configuration.fromMap(properties);
        for (String key : properties.keySet()) {
            if (key.startsWith("forecaster.") && Stream.concat(ForecastJobOptions.all().stream(), RetrainOptions.all().stream())
                    .map(ConfigOption::key).noneMatch(key::equals)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown option -D " + key);
            }
        }
        config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        if (workers != null) {
            config.set(RetrainOptions.WORKERS, workers);
        }
        if (!config.contains(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX)) {
            config.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "forecaster-trainer");
        }
        ModelSnapshot initial = SnapshotFiles.read(model);
        if (createTopics) {
            KafkaTopics.create(bootstrapServers, RetrainTopics.specs(config, 4));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ForecastJob.configure(env, config);
        TrainerJob.buildOnKafka(env, config, initial);
        env.execute("forecaster-trainer");
        return 0;
    }
}
