package dev.forecaster.jobs.io;

import static dev.forecaster.jobs.forecast.ForecastJobOptions.ALERTS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.BOOTSTRAP_SERVERS;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.DEAD_LETTERS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.FORECASTS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.GROUP_ID;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.OBSERVATIONS_TOPIC;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTIONAL_ID_PREFIX;
import static dev.forecaster.jobs.forecast.ForecastJobOptions.TRANSACTION_TIMEOUT;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;

/** Builds the job's Kafka source and exactly-once sinks from its configuration. */
public final class KafkaConnectors {

    private KafkaConnectors() {}

    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the connector's API still takes
    public static KafkaSource<IngestRecord> observations(ReadableConfig config) {
        return KafkaSource.<IngestRecord>builder()
                .setBootstrapServers(config.get(BOOTSTRAP_SERVERS))
                .setTopics(config.get(OBSERVATIONS_TOPIC))
                .setGroupId(config.get(GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new IngestDeserializer())
                // Only read what upstream producers committed.
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    public static KafkaSink<Forecast> forecasts(ReadableConfig config) {
        String topic = config.get(FORECASTS_TOPIC);
        return exactlyOnce(config, "-forecasts",
                new AvroKafkaSerializer<>(topic, Forecast.getClassSchema(), Forecast::getSeriesId));
    }

    /**
     * Largest dead letter the sink may send: a dead letter carries a whole input record (its raw key
     * and value, up to the input topic's limit, 1 MiB by default) plus the reason, so it can exceed
     * the producer's 1 MiB default, and a refused send would fail the job on the same record after
     * every restart. The dead-letter topic needs a {@code max.message.bytes} as large; {@link
     * dev.forecaster.jobs.runtime.ForecastTopics} creates it so.
     */
    public static final int DEAD_LETTER_MAX_BYTES = 4 * 1024 * 1024;

    public static KafkaSink<DeadLetter> deadLetters(ReadableConfig config) {
        String topic = config.get(DEAD_LETTERS_TOPIC);
        return exactlyOnce(config, "-dead-letters",
                new AvroKafkaSerializer<DeadLetter>(topic, DeadLetter.getClassSchema(), d -> d.getSourceTopic()),
                DEAD_LETTER_MAX_BYTES);
    }

    public static KafkaSink<AnomalyAlert> alerts(ReadableConfig config) {
        String topic = config.get(ALERTS_TOPIC);
        return exactlyOnce(config, "-alerts",
                new AvroKafkaSerializer<>(topic, AnomalyAlert.getClassSchema(), AnomalyAlert::getSeriesId));
    }

    /**
     * An exactly-once sink of the job's Kafka settings; {@code suffix} keeps its transactional ids
     * apart from the job's other sinks.
     */
    public static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> exactlyOnce(
            ReadableConfig config, String suffix, AvroKafkaSerializer<T> serializer) {
        return exactlyOnce(config, suffix, serializer, 1024 * 1024);
    }

    /** As above, for records of up to {@code maxRequestBytes} (the producer's {@code max.request.size}). */
    static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> exactlyOnce(
            ReadableConfig config, String suffix, AvroKafkaSerializer<T> serializer, int maxRequestBytes) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.get(TRANSACTIONAL_ID_PREFIX) + suffix)
                .setProperty("transaction.timeout.ms", String.valueOf(config.get(TRANSACTION_TIMEOUT).toMillis()))
                .setProperty("max.request.size", String.valueOf(maxRequestBytes))
                .build();
    }
}
