package dev.forecaster.jobs.io;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import dev.forecaster.schema.IngestRecord;

/** Type information of {@link IngestRecord} whose serializer is {@link IngestRecordSerializer}. */
public final class IngestRecordTypeInfo extends TypeInformation<IngestRecord> {

    private static final long serialVersionUID = 1L;

    public static final IngestRecordTypeInfo INSTANCE = new IngestRecordTypeInfo();

    private IngestRecordTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<IngestRecord> getTypeClass() {
        return IngestRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<IngestRecord> createSerializer(SerializerConfig config) {
        return new IngestRecordSerializer();
    }

    @Override
    public String toString() {
        return "IngestRecordTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof IngestRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return IngestRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof IngestRecordTypeInfo;
    }
}
