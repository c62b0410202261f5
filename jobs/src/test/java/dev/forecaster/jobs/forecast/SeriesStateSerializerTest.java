package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesState;

class SeriesStateSerializerTest {

    private static SeriesState sample() {
        RecurrentState recurrent = new RecurrentState(
                new float[][] {{0.1f, -0.2f, 0.3f}, {1f, 2f, 3f}},
                new float[][] {{-1f, 0.5f, 0f}, {4f, 5f, 6f}});
        SeriesState s = new SeriesState(recurrent, new SeriesScaler(12, 3.5, 7.25), 9L);
        s.lastEventTime = 1_700_000_000_000L;
        s.stepMillis = 60_000L;
        s.lastForecast = new double[] {1.5, 2.5, 3.5};
        return s;
    }

    private static byte[] write(SeriesState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesStateSerializer.INSTANCE.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        SeriesState s = sample();
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
        assertEquals(s, back);
    }

    @Test
    void copyIsDeep() {
        SeriesState s = sample();
        SeriesState copy = SeriesStateSerializer.INSTANCE.copy(s);
        assertEquals(s, copy);
        assertNotSame(s.recurrent.h[0], copy.recurrent.h[0]);
        copy.recurrent.h[0][0] = 42f;
        assertEquals(0.1f, s.recurrent.h[0][0]);
    }

    @Test
    void streamCopyMatchesSerialize() throws IOException {
        byte[] bytes = write(sample());
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesStateSerializer.INSTANCE.copy(new DataInputDeserializer(bytes), out);
        assertEquals(java.util.Arrays.toString(bytes), java.util.Arrays.toString(out.getCopyOfBuffer()));
    }

    @Test
    void unknownFormatIsRejected() throws IOException {
        byte[] bytes = write(sample());
        bytes[0] = 99;
        assertThrows(IOException.class,
                () -> SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<SeriesState> snapshot = SeriesStateSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<SeriesState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertEquals(SeriesStateSerializer.INSTANCE, read.restoreSerializer());
        TypeSerializerSchemaCompatibility<SeriesState> compat =
                SeriesStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertEquals(true, compat.isCompatibleAsIs());
    }
}
