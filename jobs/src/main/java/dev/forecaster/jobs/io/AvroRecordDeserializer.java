package dev.forecaster.jobs.io;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import dev.forecaster.schema.codec.AvroCodec;

/**
 * Reads Avro single-object records of the retraining topics (training windows, rounds, worker
 * updates, models). These topics are written only by this project's jobs; a record that does not
 * decode is logged with its coordinates and skipped rather than failing the job, and the skip is
 * counted in the log line. (Observations, written by outside producers, go to the dead-letter
 * topic instead; see {@link IngestDeserializer}.)
 */
public final class AvroRecordDeserializer<T extends SpecificRecordBase> implements KafkaRecordDeserializationSchema<T> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AvroRecordDeserializer.class);

    private final Class<T> type;
    private final String schemaJson;
    private transient AvroCodec<T> codec;
    private transient long skipped;

    public AvroRecordDeserializer(Class<T> type, Schema schema) {
        this.type = type;
        this.schemaJson = schema.toString();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (codec == null) {
            codec = AvroCodec.of(new Schema.Parser().parse(schemaJson));
        }
        if (record.value() == null) {
            return; // a tombstone in a compacted topic
        }
        try {
            out.collect(codec.decode(record.value()));
        } catch (IOException e) {
            skipped++;
            LOG.error("Skipping undecodable {} at {}-{}@{} ({} skipped so far): {}", type.getSimpleName(),
                    record.topic(), record.partition(), record.offset(), skipped, e.getMessage());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
