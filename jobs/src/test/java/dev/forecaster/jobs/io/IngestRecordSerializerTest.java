package dev.forecaster.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;

class IngestRecordSerializerTest {

    private final IngestRecordSerializer serializer = new IngestRecordSerializer();

    @Test
    void observationsRoundTripFieldForField() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            IngestRecord r = observation(random, i);
            byte[] bytes = bytes(serializer, r);
            assertEquals(IngestRecordSerializer.OBSERVATION, bytes[0]);
            IngestRecord back = read(serializer, bytes);
            assertEquals(r, back);
            // Map.of iterates in a per-JVM order, so compare bytes from the decoded record on.
            byte[] again = bytes(serializer, back);
            assertArrayEquals(again, bytes(serializer, read(serializer, again)));
        }
    }

    @Test
    void deadLettersGoThroughAvro() throws IOException {
        IngestRecord dead = IngestRecord.newBuilder()
                .setObservation(null)
                .setDeadLetter(DeadLetter.newBuilder().setSourceTopic("obs").setSourcePartition(2).setSourceOffset(9L)
                        .setRawKey(null).setRawValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setError("MALFORMED")
                        .setReason("garbage").setDeadLetteredAt(Instant.ofEpochMilli(5)).build())
                .setSourceTopic("obs").setSourcePartition(2).setSourceOffset(9L)
                .build();
        byte[] bytes = bytes(serializer, dead);
        assertEquals(IngestRecordSerializer.AVRO, bytes[0]);
        assertEquals(dead, read(serializer, bytes));
    }

    @Test
    void aStreamOfRecordsCopiesAndReadsBackInOrder() throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        List<IngestRecord> records = new ArrayList<>();
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int i = 0; i < 50; i++) {
            records.add(observation(random, i));
            serializer.serialize(records.get(i), out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < records.size(); i++) {
            serializer.copy(in, copied);
        }
        assertEquals(0, in.available(), "copy read exactly the records");
        DataInputDeserializer again = new DataInputDeserializer(copied.getCopyOfBuffer());
        for (IngestRecord r : records) {
            assertEquals(r, serializer.deserialize(again));
        }
    }

    @Test
    void anUnknownTagIsAnError() {
        assertThrows(IOException.class, () -> read(serializer, new byte[] {9}));
    }

    @Test
    void copiesAreDeepAndDuplicatesIndependent() {
        IngestRecord r = observation(new SplittableRandom(5), 1);
        IngestRecord copy = serializer.copy(r);
        assertEquals(r, copy);
        assertNotSame(r.getObservation(), copy.getObservation());
        TypeSerializer<IngestRecord> duplicate = serializer.duplicate();
        assertNotSame(serializer, duplicate);
        assertEquals(serializer, duplicate);
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<IngestRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertEquals(serializer, restored.restoreSerializer());
        assertTrue(new IngestRecordSerializer().snapshotConfiguration()
                .resolveSchemaCompatibility(restored).isCompatibleAsIs());
    }

    private static IngestRecord observation(SplittableRandom random, int i) {
        String id = switch (i % 4) {
            case 0 -> "sensor-" + i;
            case 1 -> "Zähler/Ost ⚡ " + i;
            case 2 -> "k".repeat(70_000);
            default -> "";
        };
        Map<String, Double> features = i % 3 == 0 ? null
                : i % 3 == 1 ? Map.of() : Map.of("temp", random.nextDouble(), "ключ", -random.nextDouble());
        Observation o = Observation.newBuilder()
                .setSeriesId(id)
                .setEventTime(Instant.ofEpochMilli(random.nextLong() >> 20))
                .setValue(i % 5 == 0 ? -0.0 : random.nextGaussian() * 1e6)
                .setFeatures(features)
                .build();
        return IngestRecord.newBuilder().setObservation(o).setDeadLetter(null)
                .setSourceTopic(i % 2 == 0 ? "observations" : "t-" + i).setSourcePartition(i % 7)
                .setSourceOffset(random.nextLong()).build();
    }

    private static byte[] bytes(TypeSerializer<IngestRecord> serializer, IngestRecord r) {
        DataOutputSerializer out = new DataOutputSerializer(64);
        try {
            serializer.serialize(r, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.getCopyOfBuffer();
    }

    private static IngestRecord read(TypeSerializer<IngestRecord> serializer, byte[] bytes) throws IOException {
        return serializer.deserialize(new DataInputDeserializer(bytes));
    }
}
