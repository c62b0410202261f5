package dev.forecaster.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
import dev.forecaster.jobs.train.ModelsTopic;
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
public final class TrainCommand extends UsageErrors implements Callable<Integer> {


    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--model", paramLabel = "FILE",
            description = "The forecast job's --model. Optional: without it the trainer starts from the newest model in "
                    + "the models topic; with it, from that file or a newer version of its name in the topic.")
    Path model;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "Without --model: which model of the models topic to retrain, when it holds several.")
    String modelName;

    @Option(names = "--workers", description = "P, training workers (default: the forecaster.train.workers option, 2).")
    Integer workers;

    @Option(names = "--create-topics", description = "Create the missing retraining topics (models compacted).")
    boolean createTopics;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set a job option (forecaster.*) or a Flink option.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (model != null && !Files.isReadable(model)) {
            throw usage("cannot read --model file " + model);
        }
        if (workers != null && workers < 1) {
            throw usage("--workers must be at least 1");
        }
        Configuration config = Configuration.fromMap(properties);
        for (String key : properties.keySet()) {
            if (key.startsWith("forecaster.") && Stream.concat(ForecastJobOptions.all().stream(), RetrainOptions.all().stream())
                    .map(ConfigOption::key).noneMatch(key::equals)) {
                throw usage("unknown option -D " + key);
            }
        }
        config.set(ForecastJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        if (workers != null) {
            config.set(RetrainOptions.WORKERS, workers);
        }
        if (!config.contains(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX)) {
            config.set(ForecastJobOptions.TRANSACTIONAL_ID_PREFIX, "forecaster-trainer");
        }
        if (model != null && modelName != null) {
            throw usage("--model-name is for runs without --model");
        }
        if (createTopics) {
            KafkaTopics.create(bootstrapServers, RetrainTopics.specs(config, 4));
        }
        ModelSnapshot initial = serving(config);
        System.err.println("retraining " + initial.getName() + " v" + initial.getVersion());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ForecastJob.configure(env, config);
        TrainerJob.buildOnKafka(env, config, initial);
        env.execute("forecaster-trainer");
        return 0;
    }

    /**
     * The model serving now, which the trainer's first candidate must beat and whose version + 1 it
     * gets: the newest of its name in the models topic, so that a restarted trainer neither needs
     * the file nor promotes a version serving would ignore as old.
     */
    private ModelSnapshot serving(Configuration config) throws java.io.IOException {
        Map<String, ModelSnapshot> inTopic = new ModelsTopic(bootstrapServers, config.get(RetrainOptions.MODELS_TOPIC),
                KafkaTopics.DEFAULT_TIMEOUT).newestByName();
        if (model != null) {
            ModelSnapshot file = SnapshotFiles.read(model);
            ModelSnapshot topic = inTopic.get(file.getName());
            return topic != null && topic.getVersion() > file.getVersion() ? topic : file;
        }
        String name = modelName;
        if (name == null) {
            if (inTopic.size() != 1) {
                throw usage(inTopic.isEmpty()
                        ? "the models topic holds no model; give --model (or start 'run' first)"
                        : "the models topic holds several models " + inTopic.keySet() + "; choose one with --model-name");
            }
            name = inTopic.keySet().iterator().next();
        }
        ModelSnapshot newest = inTopic.get(name);
        if (newest == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the models topic holds no model named " + name + " (it has " + inTopic.keySet() + ")");
        }
        return newest;
    }
}
