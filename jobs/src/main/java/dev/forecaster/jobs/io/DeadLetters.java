package dev.forecaster.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/** Builds dead letters and names the side output that carries them. */
public final class DeadLetters {

    /** Error category: the bytes are not an Observation of any known schema. */
    public static final String MALFORMED = "MALFORMED";
    /** Error category: a well-formed record whose content cannot be used (NaN, empty id, ...). */
    public static final String INVALID_VALUE = "INVALID_VALUE";
    /** Error category: the event arrived after the watermark passed it by more than allowed. */
    public static final String LATE_EVENT = "LATE_EVENT";

    public static final TypeInformation<DeadLetter> TYPE = new AvroTypeInfo<>(DeadLetter.class);
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", TYPE);

    private static final ThreadLocal<AvroCodec<Observation>> OBSERVATION_CODEC =
            ThreadLocal.withInitial(() -> AvroCodec.of(Observation.getClassSchema()));

    private DeadLetters() {}

    public static DeadLetter of(
            String topic, int partition, long offset, byte[] key, byte[] value,
            String error, String reason, long now) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setRawKey(key == null ? null : ByteBuffer.wrap(key))
                .setRawValue(value == null ? null : ByteBuffer.wrap(value))
                .setError(error)
                .setReason(reason)
                .setDeadLetteredAt(Instant.ofEpochMilli(now))
                .build();
    }

    /**
     * A dead letter for a decoded observation that came too late. The value is re-encoded with the
     * current Observation schema: it decodes to the same observation, but it is not always the
     * producer's bytes (an older writer schema, a features map of several entries written in
     * another order, map blocks with byte sizes), and the key is the series id, which the
     * validator required the Kafka key to equal when there was one.
     */
    public static DeadLetter late(IngestRecord record, long latestEventTime, long allowedLatenessMillis, long now) {
        Observation obs = record.getObservation();
        String reason = String.format(
                "event time %s is more than the allowed lateness %d ms behind the series' latest event time %s",
                obs.getEventTime(), allowedLatenessMillis, Instant.ofEpochMilli(latestEventTime));
        return of(
                record.getSourceTopic(), record.getSourcePartition(), record.getSourceOffset(),
                obs.getSeriesId().getBytes(StandardCharsets.UTF_8),
                OBSERVATION_CODEC.get().encode(obs),
                LATE_EVENT, reason, now);
    }
}
