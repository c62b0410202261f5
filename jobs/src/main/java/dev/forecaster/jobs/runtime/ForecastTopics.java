package dev.forecaster.jobs.runtime;

import org.apache.flink.configuration.ReadableConfig;

import java.util.List;

import dev.forecaster.jobs.forecast.ForecastJobOptions;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;

/** The topics of the forecast job, with explicit configurations. */
public final class ForecastTopics {

    private ForecastTopics() {}

    /**
     * Every topic keeps its records forever: replayed history carries old event times, and a
     * time-based retention would delete such records as soon as they arrive.
     */
    public static List<TopicSpec> specs(ReadableConfig config, int partitions) {
        return List.of(
                TopicSpec.of(config.get(ForecastJobOptions.OBSERVATIONS_TOPIC), partitions).withRetentionForever(),
                TopicSpec.of(config.get(ForecastJobOptions.FORECASTS_TOPIC), partitions).withRetentionForever(),
                TopicSpec.of(config.get(ForecastJobOptions.DEAD_LETTERS_TOPIC), 1).withRetentionForever()
                        .withConfig(TopicSpec.MAX_MESSAGE_BYTES, String.valueOf(KafkaConnectors.DEAD_LETTER_MAX_BYTES)),
                TopicSpec.of(config.get(ForecastJobOptions.ALERTS_TOPIC), partitions).withRetentionForever());
    }
}
