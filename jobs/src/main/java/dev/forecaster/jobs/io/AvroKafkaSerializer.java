package dev.forecaster.jobs.io;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

import dev.forecaster.schema.codec.AvroCodec;

/**
 * Writes records as Avro single-object values keyed by a UTF-8 string.
 *
 * <p>The record timestamp is left to the producer (wall-clock time) rather than the event time:
 * replayed history carries old event times, which the broker would otherwise delete at once under
 * a time-based retention.
 */
public final class AvroKafkaSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String schemaJson;
    private final SerializableFunction<T, String> keyOf;

    private transient AvroCodec<T> codec;

    public AvroKafkaSerializer(String topic, Schema schema, SerializableFunction<T, String> keyOf) {
        this.topic = topic;
        this.schemaJson = schema.toString();
        this.keyOf = keyOf;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = AvroCodec.of(new Schema.Parser().parse(schemaJson));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroCodec.of(new Schema.Parser().parse(schemaJson));
        }
        String key = keyOf.apply(element);
        return new ProducerRecord<>(
                topic, null, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8), codec.encode(element));
    }
}
