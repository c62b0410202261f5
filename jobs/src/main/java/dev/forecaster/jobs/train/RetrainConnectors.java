package dev.forecaster.jobs.train;

import static dev.forecaster.jobs.forecast.ForecastJobOptions.BOOTSTRAP_SERVERS;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.GROUP_ID;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTIONAL_ID_PREFIX;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTION_TIMEOUT;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import dev.forecaster.jobs.io.AvroKafkaSerializer;
import dev.forecaster.jobs.io.AvroRecordDeserializer;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.RoundStart;
import dev.forecaster.schema.TrainingWindow;
import dev.forecaster.schema.WorkerUpdate;

/**
 * Kafka sources and exactly-once sinks of the retraining topics. Every reader is read_committed.
 * The models topic is read from its start (it is compacted: the newest snapshot per name); the
 * rounds and worker-updates topics from their end on a fresh start, because rounds of an earlier
 * run of the trainer job mean nothing to this one (a restored job resumes from its checkpoint).
 */
public final class RetrainConnectors {

    private RetrainConnectors() {}

    public static KafkaSource<ModelSnapshot> models(ReadableConfig config, String groupSuffix) {
        return source(config, config.get(RetrainOptions.MODELS_TOPIC), ModelSnapshot.class,
                ModelSnapshot.getClassSchema(), groupSuffix, OffsetResetStrategy.EARLIEST);
    }

    public static KafkaSource<TrainingWindow> trainingWindows(ReadableConfig config) {
        return source(config, config.get(RetrainOptions.TRAINING_WINDOWS_TOPIC), TrainingWindow.class,
                TrainingWindow.getClassSchema(), "-trainer", OffsetResetStrategy.EARLIEST);
    }

    public static KafkaSource<RoundStart> rounds(ReadableConfig config) {
        return source(config, config.get(RetrainOptions.ROUNDS_TOPIC), RoundStart.class,
                RoundStart.getClassSchema(), "-workers", OffsetResetStrategy.LATEST);
    }

    public static KafkaSource<WorkerUpdate> updates(ReadableConfig config) {
        return source(config, config.get(RetrainOptions.UPDATES_TOPIC), WorkerUpdate.class,
                WorkerUpdate.getClassSchema(), "-coordinator", OffsetResetStrategy.LATEST);
    }

    public static KafkaSink<ModelSnapshot> modelsSink(ReadableConfig config) {
        return sink(config, "-models", config.get(RetrainOptions.MODELS_TOPIC), ModelSnapshot.getClassSchema(),
                ModelSnapshot::getName);
    }

    public static KafkaSink<TrainingWindow> trainingWindowsSink(ReadableConfig config) {
        return sink(config, "-training-windows", config.get(RetrainOptions.TRAINING_WINDOWS_TOPIC),
                TrainingWindow.getClassSchema(), TrainingWindow::getSeriesId);
    }

    public static KafkaSink<RoundStart> roundsSink(ReadableConfig config) {
        return sink(config, "-rounds", config.get(RetrainOptions.ROUNDS_TOPIC), RoundStart.getClassSchema(),
                r -> r.getBase().getName());
    }

    public static KafkaSink<WorkerUpdate> updatesSink(ReadableConfig config) {
        return sink(config, "-worker-updates", config.get(RetrainOptions.UPDATES_TOPIC),
                WorkerUpdate.getClassSchema(), u -> u.getSnapshot().getName());
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the connector's API still takes
    private static <T extends org.apache.avro.specific.SpecificRecordBase> KafkaSource<T> source(ReadableConfig config, String topic,
            Class<T> type, Schema schema, String groupSuffix, OffsetResetStrategy reset) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(config.get(BOOTSTRAP_SERVERS))
                .setTopics(topic)
                .setGroupId(config.get(GROUP_ID) + groupSuffix)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new AvroRecordDeserializer<>(type, schema))
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    private static <T extends SpecificRecord> KafkaSink<T> sink(ReadableConfig config, String suffix, String topic,
            Schema schema, SerializableFunction<T, String> keyOf) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(BOOTSTRAP_SERVERS))
                .setRecordSerializer(new AvroKafkaSerializer<>(topic, schema, keyOf))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.get(TRANSACTIONAL_ID_PREFIX) + suffix)
                .setProperty("transaction.timeout.ms", String.valueOf(config.get(TRANSACTION_TIMEOUT).toMillis()))
                .build();
    }
}
