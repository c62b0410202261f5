package dev.forecaster.jobs.io;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

/**
 * Explicit serializer of {@link IngestRecord} for the job's keyBy edge, where every valid
 * observation crosses the network. Flink's generic Avro serializer resolves the union branches and
 * dispatches on the schema for every field of every record, which cost about as much as the model
 * step; this one writes an observation's fields directly.
 *
 * <p>Layout: a tag byte. {@link #OBSERVATION}: series id, event time (epoch millis), value, the
 * feature count (-1 for none) and each name and value, source topic, partition and offset. {@link
 * #AVRO}: anything else (a dead letter, which the router sends to a side output and so never
 * crosses this edge) in Flink's Avro serializer's own format. Only network edges use it, never
 * keyed state, so no savepoint holds these bytes.
 */
public final class IngestRecordSerializer extends TypeSerializer<IngestRecord> {

    private static final long serialVersionUID = 1L;
    static final byte OBSERVATION = 1;
    static final byte AVRO = 2;

    /** For the rare record that is not a plain observation; not thread-safe, so duplicated with this. */
    private final TypeSerializer<IngestRecord> fallback;

    public IngestRecordSerializer() {
        this(new AvroTypeInfo<>(IngestRecord.class).createSerializer(new SerializerConfigImpl()));
    }

    private IngestRecordSerializer(TypeSerializer<IngestRecord> fallback) {
        this.fallback = fallback;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<IngestRecord> duplicate() {
        return new IngestRecordSerializer(fallback.duplicate());
    }

    @Override
    public IngestRecord createInstance() {
        return new IngestRecord();
    }

    @Override
    public IngestRecord copy(IngestRecord from) {
        return IngestRecord.newBuilder(from).build();
    }

    @Override
    public IngestRecord copy(IngestRecord from, IngestRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(IngestRecord record, DataOutputView out) throws IOException {
        Observation o = record.getObservation();
        if (o == null || record.getDeadLetter() != null) {
            out.writeByte(AVRO);
            fallback.serialize(record, out);
            return;
        }
        out.writeByte(OBSERVATION);
        StringValue.writeString(o.getSeriesId(), out);
        out.writeLong(o.getEventTime().toEpochMilli());
        out.writeDouble(o.getValue());
        Map<String, Double> features = o.getFeatures();
        if (features == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(features.size());
            for (Map.Entry<String, Double> f : features.entrySet()) {
                StringValue.writeString(f.getKey(), out);
                out.writeDouble(f.getValue());
            }
        }
        StringValue.writeString(record.getSourceTopic(), out);
        out.writeInt(record.getSourcePartition());
        out.writeLong(record.getSourceOffset());
    }

    @Override
    public IngestRecord deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        if (tag == AVRO) {
            return fallback.deserialize(in);
        }
        if (tag != OBSERVATION) {
            throw new IOException("Unknown IngestRecord tag " + tag);
        }
        String seriesId = StringValue.readString(in);
        Instant eventTime = Instant.ofEpochMilli(in.readLong());
        double value = in.readDouble();
        int n = in.readInt();
        Map<String, Double> features = null;
        if (n >= 0) {
            features = new HashMap<>(Math.max(4, 2 * n));
            for (int i = 0; i < n; i++) {
                features.put(StringValue.readString(in), in.readDouble());
            }
        }
        Observation o = new Observation(seriesId, eventTime, value, features);
        return new IngestRecord(o, null, StringValue.readString(in), in.readInt(), in.readLong());
    }

    @Override
    public IngestRecord deserialize(IngestRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof IngestRecordSerializer;
    }

    @Override
    public int hashCode() {
        return IngestRecordSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<IngestRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The tag byte carries layout changes; the snapshot only names the serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<IngestRecord> {
        public Snapshot() {
            super(IngestRecordSerializer::new);
        }
    }
}
