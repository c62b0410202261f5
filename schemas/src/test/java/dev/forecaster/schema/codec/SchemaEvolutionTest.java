package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import dev.forecaster.schema.Observation;

class SchemaEvolutionTest {

    private static final Schema V2 = BundledSchemas.load("/evolution/Observation-v2.avsc");

    private static Observation sample() {
        return Observation.newBuilder()
                .setSeriesId("sensor-7")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setValue(21.5)
                .setFeatures(Map.of("humidity", 0.4))
                .build();
    }

    @Test
    void newerReaderReadsRecordsWrittenWithBundledSchema() throws IOException {
        byte[] written = AvroCodec.<Observation>of(Observation.getClassSchema()).encode(sample());

        BinaryMessageDecoder<GenericRecord> v2Reader =
                new BinaryMessageDecoder<>(GenericData.get(), V2, BundledSchemas.store());
        GenericRecord read = v2Reader.decode(written);

        assertEquals("sensor-7", read.get("seriesId").toString());
        assertEquals(21.5, (double) read.get("value"));
        assertEquals(1_700_000_000_000L, (long) read.get("eventTime"), "generic readers see the raw millis");
        assertNull(read.get("quality"), "the added field takes its default");
    }

    @Test
    void readerWithoutTheWriterSchemaFailsLoudly() throws IOException {
        byte[] written = AvroCodec.<Observation>of(Observation.getClassSchema()).encode(sample());
        BinaryMessageDecoder<GenericRecord> blind =
                new BinaryMessageDecoder<>(GenericData.get(), V2, new SchemaStore.Cache());
        assertThrows(MissingSchemaException.class, () -> blind.decode(written));
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        Observation in = sample();
        Observation out = codec.decode(codec.encode(in));
        assertEquals(in, out);
    }

    @Test
    void garbageIsAnIOException() {
        AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
        assertThrows(IOException.class, () -> codec.decode(new byte[] {1, 2, 3}));
        byte[] truncated = codec.encode(sample());
        byte[] cut = new byte[truncated.length - 5];
        System.arraycopy(truncated, 0, cut, 0, cut.length);
        assertThrows(IOException.class, () -> codec.decode(cut));
        assertArrayEquals(truncated, codec.encode(sample()), "encoding is deterministic");
    }
}
