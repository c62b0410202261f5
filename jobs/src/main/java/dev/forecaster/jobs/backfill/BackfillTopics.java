package dev.forecaster.jobs.backfill;

import static dev.forecaster.jobs.forecast.ForecastJobOptions.ALERTS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.BOOTSTRAP_SERVERS;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.DEAD_LETTERS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.FORECASTS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTIONAL_ID_PREFIX;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTION_TIMEOUT;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.forecaster.jobs.io.AvroKafkaSerializer;
import dev.forecaster.jobs.io.KafkaConnectors;
import dev.forecaster.jobs.runtime.kafka.KafkaTopics;
import dev.forecaster.jobs.runtime.kafka.TopicSpec;
import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.AnomalyScore;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;

/**
 * Writes a backfill's results to Kafka topics, exactly once, after the scoring job has finished:
 * a backfill that fails writes nothing, and each topic's records are in output order (by row; the
 * key, the series id, picks the partition, so each series' records are in its row order).
 *
 * <p>Records carry the time they are written as their Kafka timestamp, never their event time
 * ({@link AvroKafkaSerializer}): a backfill's event times are old, and a topic's time-based
 * retention would delete such records at once. Missing topics are created keeping records
 * forever; an existing topic is left as it is, and one with a finite retention keeps the records
 * that long from their writing (see {@link #finiteRetention}).
 */
public final class BackfillTopics {

    public static final String UID_SCORES = "backfill-scores";
    public static final String UID_FORECASTS = "backfill-forecasts";
    public static final String UID_ALERTS = "backfill-alerts";
    public static final String UID_DEAD_LETTERS = "backfill-dead-letters";
    public static final String UID_SCORES_SINK = "backfill-scores-sink";
    public static final String UID_FORECASTS_SINK = "backfill-forecasts-sink";
    public static final String UID_ALERTS_SINK = "backfill-alerts-sink";
    public static final String UID_DEAD_LETTERS_SINK = "backfill-dead-letters-sink";

    /**
     * @param config bootstrap servers, the transactional-id prefix and timeout (the streaming job's
     *     {@code forecaster.kafka.*} options); the topic options are not used
     * @param scores topic of AnomalyScore records, or null
     * @param forecasts topic of Forecast records, or null
     * @param alerts topic of AnomalyAlert records, or null
     * @param deadLetters topic of DeadLetter records (a Kafka input's bad records), or null
     * @param partitions partitions of the topics this creates
     */
    public record Targets(ReadableConfig config, String scores, String forecasts, String alerts, String deadLetters,
            int partitions) {

        public List<String> topics() {
            List<String> out = new ArrayList<>();
            for (String t : new String[] {scores, forecasts, alerts, deadLetters}) {
                if (t != null && !out.contains(t)) {
                    out.add(t);
                }
            }
            return out;
        }

        String bootstrap() {
            return config.get(BOOTSTRAP_SERVERS);
        }
    }

    /** How many records went to each topic. */
    public record Written(int scores, int forecasts, int alerts, int deadLetters) {}

    private BackfillTopics() {}

    /**
     * Creates the missing topics (retention forever) and returns, per existing topic whose
     * {@code retention.ms} is finite, that retention in milliseconds.
     */
    public static Map<String, Long> prepare(Targets targets) throws Exception {
        Set<String> existing;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, targets.bootstrap());
        try (Admin admin = Admin.create(props)) {
            existing = admin.listTopics().names().get(KafkaTopics.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        Map<String, Long> finite = new java.util.TreeMap<>();
        List<TopicSpec> missing = new ArrayList<>();
        for (String topic : targets.topics()) {
            if (existing.contains(topic)) {
                Long retention = finiteRetention(KafkaTopics.describeConfig(targets.bootstrap(), topic));
                if (retention != null) {
                    finite.put(topic, retention);
                }
            } else {
                TopicSpec spec = TopicSpec.of(topic, targets.partitions()).withRetentionForever();
                // A dead letter holds a whole input record and its reason (KafkaConnectors.DEAD_LETTER_MAX_BYTES).
                missing.add(topic.equals(targets.deadLetters())
                        ? spec.withConfig(TopicSpec.MAX_MESSAGE_BYTES, String.valueOf(KafkaConnectors.DEAD_LETTER_MAX_BYTES))
                        : spec);
            }
        }
        KafkaTopics.create(targets.bootstrap(), missing);
        return finite;
    }

    /** A topic's time-based retention, or null when it keeps records forever ({@code retention.ms} -1). */
    static Long finiteRetention(Map<String, String> topicConfig) {
        String value = topicConfig.get(TopicSpec.RETENTION_MS);
        if (value == null) {
            return null;
        }
        long ms = Long.parseLong(value.trim());
        return ms < 0 ? null : ms;
    }

    /** Writes the records in one BATCH job, one exactly-once sink per topic; nothing to write, no job. */
    public static Written publish(Targets targets, List<AnomalyScore> scores, List<Forecast> forecasts,
            List<AnomalyAlert> alerts, List<DeadLetter> deadLetters) throws Exception {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // One writer per topic keeps the records in output order.
        env.setParallelism(1);
        ReadableConfig kafka = targets.config();
        Written written = new Written(
                add(env, targets.scores(), scores, AnomalyScore.class, UID_SCORES, UID_SCORES_SINK,
                        topic -> KafkaConnectors.exactlyOnce(kafka, "-scores", new AvroKafkaSerializer<>(
                                topic, AnomalyScore.getClassSchema(), AnomalyScore::getSeriesId))),
                add(env, targets.forecasts(), forecasts, Forecast.class, UID_FORECASTS, UID_FORECASTS_SINK,
                        topic -> KafkaConnectors.forecasts(with(kafka, FORECASTS_TOPIC, topic))),
                add(env, targets.alerts(), alerts, AnomalyAlert.class, UID_ALERTS, UID_ALERTS_SINK,
                        topic -> KafkaConnectors.alerts(with(kafka, ALERTS_TOPIC, topic))),
                add(env, targets.deadLetters(), deadLetters, DeadLetter.class, UID_DEAD_LETTERS,
                        UID_DEAD_LETTERS_SINK, topic -> KafkaConnectors.deadLetters(with(kafka, DEAD_LETTERS_TOPIC, topic))));
        if (written.scores() + written.forecasts() + written.alerts() + written.deadLetters() > 0) {
            env.execute("forecaster backfill outputs");
        }
        return written;
    }

    private static <T extends SpecificRecordBase> int add(StreamExecutionEnvironment env, String topic, List<T> records,
            Class<T> type, String uid, String sinkUid, java.util.function.Function<String, Sink<T>> sink) {
        if (topic == null || records.isEmpty()) {
            return 0;
        }
        env.fromData(records, new AvroTypeInfo<>(type))
                .name(topic)
                .uid(uid)
                .sinkTo(sink.apply(topic))
                .name(topic + " sink")
                .uid(sinkUid);
        return records.size();
    }

    private static Configuration with(ReadableConfig base, ConfigOption<String> option,
            String value) {
        Configuration c = new Configuration();
        c.set(BOOTSTRAP_SERVERS, base.get(BOOTSTRAP_SERVERS));
        c.set(TRANSACTIONAL_ID_PREFIX,
                base.get(TRANSACTIONAL_ID_PREFIX));
        c.set(TRANSACTION_TIMEOUT,
                base.get(TRANSACTION_TIMEOUT));
        c.set(option, value);
        return c;
    }
}
