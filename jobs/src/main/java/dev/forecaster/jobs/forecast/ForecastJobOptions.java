package dev.forecaster.jobs.forecast;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.List;

import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.kernel.KernelWarmUp;

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
    public static final ConfigOption<String> ALERTS_TOPIC =
            key("forecaster.topics.alerts").stringType().defaultValue("alerts")
                    .withDescription("Output topic of AnomalyAlert records (exactly-once).");
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

    public static final ConfigOption<Double> ALERT_WARNING =
            key("forecaster.alerts.warning").doubleType().defaultValue(AlertPolicy.DEFAULT_WARNING)
                    .withDescription(AlertPolicy.WARNING_DOC);
    public static final ConfigOption<Double> ALERT_CRITICAL =
            key("forecaster.alerts.critical").doubleType().defaultValue(AlertPolicy.DEFAULT_CRITICAL)
                    .withDescription(AlertPolicy.CRITICAL_DOC);
    public static final ConfigOption<Double> ALERT_EXIT =
            key("forecaster.alerts.exit").doubleType().defaultValue(AlertPolicy.DEFAULT_EXIT)
                    .withDescription(AlertPolicy.EXIT_DOC);
    public static final ConfigOption<Integer> ALERT_DEBOUNCE =
            key("forecaster.alerts.debounce").intType().defaultValue(AlertPolicy.DEFAULT_DEBOUNCE)
                    .withDescription(AlertPolicy.DEBOUNCE_DOC);
    public static final ConfigOption<Integer> ALERT_REARM =
            key("forecaster.alerts.rearm").intType().defaultValue(AlertPolicy.DEFAULT_REARM)
                    .withDescription(AlertPolicy.REARM_DOC);
    public static final ConfigOption<Integer> ALERT_COOLDOWN =
            key("forecaster.alerts.cooldown").intType().defaultValue(AlertPolicy.DEFAULT_COOLDOWN)
                    .withDescription(AlertPolicy.COOLDOWN_DOC);
    public static final ConfigOption<Integer> ALERT_WARMUP =
            key("forecaster.alerts.warmup").intType().defaultValue(AlertPolicy.DEFAULT_WARMUP)
                    .withDescription(AlertPolicy.WARMUP_DOC);
    public static final ConfigOption<Double> ALERT_BOUNDS_WIDTH =
            key("forecaster.alerts.bounds-width").doubleType().defaultValue(AlertPolicy.DEFAULT_BOUNDS_WIDTH)
                    .withDescription(AlertPolicy.BOUNDS_WIDTH_DOC);

    public static final ConfigOption<Integer> KERNEL_WARM_UP_STEPS =
            key("forecaster.kernel.warm-up-steps").intType().defaultValue(KernelWarmUp.Settings.DEFAULT.steps())
                    .withDescription("Throwaway model steps each JVM runs once per model shape before serving, so that"
                            + " the vector step kernel is compiled before records need it (until then a step costs"
                            + " tens to hundreds of microseconds instead of about one); 0 turns it off.");
    public static final ConfigOption<Duration> KERNEL_WARM_UP_BUDGET =
            key("forecaster.kernel.warm-up-budget").durationType().defaultValue(KernelWarmUp.Settings.DEFAULT.budget())
                    .withDescription("Longest time the kernel warm-up may take, whatever its steps.");

    public static List<ConfigOption<?>> all() {
        return List.of(BOOTSTRAP_SERVERS, OBSERVATIONS_TOPIC, FORECASTS_TOPIC, DEAD_LETTERS_TOPIC, ALERTS_TOPIC,
                GROUP_ID, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, MAX_OUT_OF_ORDERNESS, IDLENESS,
                ALLOWED_LATENESS, CHECKPOINT_INTERVAL, PARALLELISM, ALERT_WARNING, ALERT_CRITICAL, ALERT_EXIT,
                ALERT_DEBOUNCE, ALERT_REARM, ALERT_COOLDOWN, ALERT_WARMUP, ALERT_BOUNDS_WIDTH,
                KERNEL_WARM_UP_STEPS, KERNEL_WARM_UP_BUDGET);
    }

    /**
     * The kernel warm-up the {@code forecaster.kernel.*} options describe.
     *
     * @throws IllegalArgumentException for negative steps or budget
     */
    public static KernelWarmUp.Settings kernelWarmUp(ReadableConfig config) {
        return new KernelWarmUp.Settings(config.get(KERNEL_WARM_UP_STEPS), config.get(KERNEL_WARM_UP_BUDGET));
    }

    /**
     * The alert policy the {@code forecaster.alerts.*} options describe.
     *
     * @throws IllegalArgumentException when they are inconsistent (e.g. exit above warning)
     */
    public static AlertPolicy alertPolicy(ReadableConfig config) {
        return AlertPolicy.builder()
                .warning(config.get(ALERT_WARNING))
                .critical(config.get(ALERT_CRITICAL))
                .exit(config.get(ALERT_EXIT))
                .debounce(config.get(ALERT_DEBOUNCE))
                .rearm(config.get(ALERT_REARM))
                .cooldown(config.get(ALERT_COOLDOWN))
                .warmup(config.get(ALERT_WARMUP))
                .boundsWidth(config.get(ALERT_BOUNDS_WIDTH))
                .build();
    }

    private ForecastJobOptions() {}

    /** Reads a Duration option as milliseconds. */
    public static long millis(ReadableConfig config, ConfigOption<Duration> option) {
        return config.get(option).toMillis();
    }
}
