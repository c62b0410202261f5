package dev.forecaster.jobs.train;

import org.apache.flink.configuration.ReadableConfig;

import java.util.List;

import dev.forecaster.jobs.runtime.kafka.TopicSpec;

/** The retraining topics. {@code models} is compacted: its latest record per model name is the serving model. */
public final class RetrainTopics {

    private RetrainTopics() {}

    public static List<TopicSpec> specs(ReadableConfig config, int partitions) {
        return List.of(
                TopicSpec.of(config.get(RetrainOptions.MODELS_TOPIC), 1).compacted(),
                TopicSpec.of(config.get(RetrainOptions.TRAINING_WINDOWS_TOPIC), partitions).withRetentionForever(),
                TopicSpec.of(config.get(RetrainOptions.ROUNDS_TOPIC), 1).withRetentionForever(),
                TopicSpec.of(config.get(RetrainOptions.UPDATES_TOPIC), 1).withRetentionForever());
    }
}
