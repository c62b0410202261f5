package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import dev.forecaster.schema.ArchitectureSpec;
import dev.forecaster.schema.ModelSnapshot;

/** Snapshots on disk and in the models topic were written before {@code ArchitectureSpec.head} existed. */
class ModelSnapshotEvolutionTest {

    private static final Schema V1 = BundledSchemas.load("/schemas/history/ModelSnapshot-v1.avsc");

    @Test
    void snapshotWrittenWithTheOldSchemaDecodesAsAPointHead() throws IOException {
        Schema oldArchitecture = V1.getField("architecture").schema();
        assertNull(oldArchitecture.getField("head"), "the history file is the schema before the change");
        assertNotEquals(SchemaNormalization.parsingFingerprint64(V1),
                SchemaNormalization.parsingFingerprint64(ModelSnapshot.getClassSchema()));

        GenericRecord architecture = new GenericData.Record(oldArchitecture);
        architecture.put("cellType", "GRU");
        architecture.put("inputSize", 1);
        architecture.put("hiddenSize", 8);
        architecture.put("layers", 2);
        architecture.put("horizon", 3);
        architecture.put("inputFeatures", List.of("value"));
        Schema tensorSchema = V1.getField("tensors").schema().getElementType();
        GenericRecord tensor = new GenericData.Record(tensorSchema);
        tensor.put("name", "2_b");
        tensor.put("shape", List.of(3));
        tensor.put("data", ByteBuffer.wrap(new byte[12]));
        GenericRecord old = new GenericData.Record(V1);
        old.put("name", "old");
        old.put("version", 7L);
        old.put("parentVersion", null);
        old.put("architecture", architecture);
        old.put("tensors", List.of(tensor));
        old.put("scaling", Map.of());
        old.put("metrics", Map.of());
        old.put("createdAt", 1_700_000_000_000L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1).encode(old).array();

        ModelSnapshot read = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).decode(bytes);
        assertEquals("old", read.getName());
        assertEquals(7L, read.getVersion());
        assertEquals("GRU", read.getArchitecture().getCellType());
        assertEquals(3, read.getArchitecture().getHorizon());
        assertEquals("POINT", read.getArchitecture().getHead(), "the added field takes its default");
        assertEquals("2_b", read.getTensors().get(0).getName());
    }

    @Test
    void snapshotWrittenBeforeCalendarZonesDecodesInUtc() throws IOException {
        Schema v2 = BundledSchemas.load("/schemas/history/ModelSnapshot-v2.avsc");
        GenericRecord architecture = oldArchitecture(v2, "calendarZone", Map.of("cellType", "LSTM", "inputSize", 1,
                "hiddenSize", 8, "layers", 1, "horizon", 3, "inputFeatures", List.of("value"), "head", "GAUSSIAN"));
        byte[] bytes = encodedWithoutTensors(v2, architecture);

        ModelSnapshot read = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).decode(bytes);
        assertEquals("GAUSSIAN", read.getArchitecture().getHead());
        assertEquals(List.of("value"), read.getArchitecture().getInputFeatures());
        assertEquals("UTC", read.getArchitecture().getCalendarZone(), "the added field takes its default");
    }

    @Test
    void snapshotWrittenBeforeTargetsDecodesAsALevelForecaster() throws IOException {
        Schema v3 = BundledSchemas.load("/schemas/history/ModelSnapshot-v3.avsc");
        GenericRecord architecture = oldArchitecture(v3, "target", Map.of("cellType", "GRU", "inputSize", 5,
                "hiddenSize", 8, "layers", 2, "horizon", 3,
                "inputFeatures", List.of("value", "hour_of_day", "day_of_week"), "calendarZone", "Europe/Paris",
                "head", "GAUSSIAN"));
        byte[] bytes = encodedWithoutTensors(v3, architecture);

        ModelSnapshot read = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).decode(bytes);
        assertEquals("GAUSSIAN", read.getArchitecture().getHead());
        assertEquals("Europe/Paris", read.getArchitecture().getCalendarZone());
        assertEquals("LEVEL", read.getArchitecture().getTarget(), "the added field takes its default");
    }

    @Test
    void snapshotWrittenBeforeScalingMemoryDecodesWithLifetimeStatistics() throws IOException {
        Schema v4 = BundledSchemas.load("/schemas/history/ModelSnapshot-v4.avsc");
        GenericRecord architecture = oldArchitecture(v4, "scalingMemory", Map.of("cellType", "LSTM", "inputSize", 1,
                "hiddenSize", 8, "layers", 1, "horizon", 3, "inputFeatures", List.of("value"), "calendarZone", "UTC",
                "head", "POINT", "target", "CHANGE"));
        byte[] bytes = encodedWithoutTensors(v4, architecture);

        ModelSnapshot read = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).decode(bytes);
        assertEquals("CHANGE", read.getArchitecture().getTarget());
        assertEquals(0, read.getArchitecture().getScalingMemory(), "the added field takes its default");
    }

    @Test
    void theHeadRoundTrips() throws IOException {
        ArchitectureSpec spec = ArchitectureSpec.newBuilder().setCellType("LSTM").setInputSize(1)
                .setHiddenSize(4).setLayers(1).setHorizon(2).setHead("GAUSSIAN").build();
        assertEquals(List.of("value"), spec.getInputFeatures());
        ModelSnapshot s = ModelSnapshot.newBuilder().setName("g").setVersion(1L).setArchitecture(spec)
                .setTensors(List.of()).setCreatedAt(java.time.Instant.ofEpochMilli(5)).build();
        AvroCodec<ModelSnapshot> codec = AvroCodec.of(ModelSnapshot.getClassSchema());
        assertEquals("GAUSSIAN", codec.decode(codec.encode(s)).getArchitecture().getHead());
    }

    /**
     * An architecture record of {@code snapshotSchema}, a schema from before {@code added} existed,
     * holding {@code fields}.
     */
    private static GenericRecord oldArchitecture(Schema snapshotSchema, String added, Map<String, Object> fields) {
        Schema schema = snapshotSchema.getField("architecture").schema();
        assertNull(schema.getField(added), "the history file is the schema before the change");
        GenericRecord architecture = new GenericData.Record(schema);
        fields.forEach(architecture::put);
        return architecture;
    }

    /** A snapshot of {@code schema} holding {@code architecture} and no tensors, encoded as its producer did. */
    private static byte[] encodedWithoutTensors(Schema schema, GenericRecord architecture) throws IOException {
        GenericRecord old = new GenericData.Record(schema);
        old.put("name", "old");
        old.put("version", 3L);
        old.put("parentVersion", 2L);
        old.put("architecture", architecture);
        old.put("tensors", List.of());
        old.put("scaling", Map.of());
        old.put("metrics", Map.of());
        old.put("createdAt", 1_700_000_000_000L);
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(old).array();
    }
}
