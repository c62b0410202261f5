package dev.forecaster.jobs.forecast;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.List;

/** Typed configuration of the forecast job. Every option has a default and a description. */
public final class ForecastJobOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            key("forecaster.kafka.bootstrap-servers").stringType().defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> OBSERVATIONS_TOPIC =
            key("forecaster.topics.observations").stringType().defaultValue("observations")
                    .withDescription("Input topic of Observation records.");
    public static final ConfigOption<String> FORECASTS_TOPIC =
            key("forecaster.topics.forecasts").stringType().defaultValue("forecasts")
                    .withDescription("Output topic of Forecast records (exactly-once).");
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
            key("forecaster.topics.dead-letters").stringType().defaultValue("dead-letters")
                    .withDescription("Output topic of DeadLetter records (exactly-once).");
    public static final ConfigOption<String> GROUP_ID =
            key("forecaster.kafka.group-id").stringType().defaultValue("forecaster")
                    .withDescription("Consumer group id used to commit source offsets (for monitoring only; Flink checkpoints own the offsets).");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            key("forecaster.kafka.transactional-id-prefix").stringType().defaultValue("forecaster")
                    .withDescription("Prefix of the Kafka transactional ids; unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            key("forecaster.kafka.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
                    .withDescription("Kafka transaction timeout; must exceed the checkpoint interval plus recovery time and stay below the broker's transaction.max.timeout.ms.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            key("forecaster.watermark.max-out-of-orderness").durationType().defaultValue(Duration.ofMinutes(1))
                    .withDescription("Event-time bound on disorder; the watermark trails the largest event time seen by this much.");
    public static final ConfigOption<Duration> IDLENESS =
            key("forecaster.watermark.idleness").durationType().defaultValue(Duration.ofSeconds(30))
                    .withDescription("A partition with no data for this long stops holding back the watermark.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            key("forecaster.lateness.allowed").durationType().defaultValue(Duration.ofHours(1))
                    .withDescription("Observations further than this behind the latest event time of their series go to the dead-letter topic.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("forecaster.checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(5))
                    .withDescription("Checkpoint interval; exactly-once outputs become visible to read_committed readers at each checkpoint.");
    public static final ConfigOption<Integer> PARALLELISM =
            key("forecaster.parallelism").intType().defaultValue(2)
                    .withDescription("Parallelism of the job.");

    public static List<ConfigOption<?>> all() {
        return List.of(BOOTSTRAP_SERVERS, OBSERVATIONS_TOPIC, FORECASTS_TOPIC, DEAD_LETTERS_TOPIC, GROUP_ID,
                TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS,
                CHECKPOINT_INTERVAL, PARALLELISM);
    }

    private ForecastJobOptions() {}

    /** Reads a Duration option as milliseconds. */
    public static long millis(ReadableConfig config, ConfigOption<Duration> option) {
        return config.get(option).toMillis();
    }
}
