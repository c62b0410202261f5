package dev.forecaster.jobs.io;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;

import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Turns every Kafka record into exactly one {@link IngestRecord}: a valid observation, or a dead
 * letter carrying the raw bytes and the reason. It never throws, so bad input cannot fail the job.
 */
public final class IngestDeserializer implements KafkaRecordDeserializationSchema<IngestRecord> {

    private static final long serialVersionUID = 1L;

    private transient AvroCodec<Observation> codec;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = AvroCodec.of(Observation.getClassSchema());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestRecord> out) {
        out.collect(toIngest(record, System.currentTimeMillis()));
    }

    IngestRecord toIngest(ConsumerRecord<byte[], byte[]> record, long now) {
        if (codec == null) {
            codec = AvroCodec.of(Observation.getClassSchema());
        }
        if (record.value() == null) {
            return rejected(record, deadLetter(record, DeadLetters.MALFORMED, "record has no value", now));
        }
        Observation obs;
        try {
            obs = codec.decode(record.value());
        } catch (IOException e) {
            return rejected(record,
                    deadLetter(record, DeadLetters.MALFORMED, "cannot decode Observation: " + e.getMessage(), now));
        }
        String problem = ObservationValidator.problem(obs, record.key());
        if (problem != null) {
            return rejected(record, deadLetter(record, DeadLetters.INVALID_VALUE, problem, now));
        }
        // The constructor, not the builder: a builder's build() looks up and copies the schema's
        // default for every field left unset, which cost a third of decoding the observation.
        return new IngestRecord(obs, null, record.topic(), record.partition(), record.offset());
    }

    private static IngestRecord rejected(ConsumerRecord<byte[], byte[]> record, DeadLetter deadLetter) {
        return new IngestRecord(null, deadLetter, record.topic(), record.partition(), record.offset());
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r, String error, String reason, long now) {
        return DeadLetters.of(r.topic(), r.partition(), r.offset(), r.key(), r.value(), error, reason, now);
    }

    @Override
    public TypeInformation<IngestRecord> getProducedType() {
        return IngestRecordTypeInfo.INSTANCE;
    }
}
