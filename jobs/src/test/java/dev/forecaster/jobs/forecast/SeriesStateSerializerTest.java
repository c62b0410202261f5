package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesHistory;
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

    /** A key of the backfill: anomaly statistics, a history and its own model. */
    private static SeriesState full() {
        SeriesState s = sample();
        s.observations = 41;
        AnomalyScorer scorer = AnomalyScorer.defaults();
        s.anomaly = scorer.newState();
        for (int i = 0; i < 40; i++) {
            scorer.score(s.anomaly, Math.sin(i), 1.0);
        }
        s.history = new SeriesHistory(8, new SeriesScaler(3, 1.0, 0.5));
        for (int i = 0; i < 11; i++) {
            s.history.add(i * 0.5);
        }
        s.ownModel = TestModels.randomSnapshot(3, 3, 2L, 5L);
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
    void roundTripKeepsAnomalyStatisticsHistoryAndOwnModel() throws IOException {
        SeriesState s = full();
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
        assertEquals(s, back);
        assertEquals(s.history.startScaler(), back.history.startScaler());
        assertArrayEquals(s.history.values(), back.history.values());
    }

    /** Checkpoints taken before the anomaly statistics existed must still restore. */
    @Test
    void formatOneStatesStillRead() throws IOException {
        SeriesState s = sample();
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(1);
        out.writeInt(2);
        for (int layer = 0; layer < 2; layer++) {
            for (float[] v : new float[][] {s.recurrent.h[layer], s.recurrent.c[layer]}) {
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        out.writeLong(12);
        out.writeDouble(3.5);
        out.writeDouble(7.25);
        out.writeLong(9L);
        out.writeLong(s.lastEventTime);
        out.writeLong(s.stepMillis);
        out.writeInt(3);
        for (double v : s.lastForecast) {
            out.writeDouble(v);
        }
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(s, back);
        assertNull(back.history);
        assertNull(back.ownModel);
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
        byte[] bytes = write(full());
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
