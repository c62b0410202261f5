package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import dev.forecaster.model.anomaly.AlertState;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.anomaly.AnomalyState;
import dev.forecaster.model.anomaly.Severity;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.codec.AvroCodec;
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
            s.history.add(1_000L * i, i * 0.5);
        }
        s.ownModel = TestModels.randomSnapshot(3, 3, 2L, 5L);
        return s;
    }

    /** A key in the middle of an alert episode, with an escalation pending. */
    private static SeriesState alerting() {
        SeriesState s = full();
        AlertState a = s.alert;
        a.points = 41;
        a.modelVersion = 9L;
        a.warmFrom = 7L;
        a.active = true;
        a.raised = Severity.WARNING;
        a.run = 1;
        a.quiet = 0;
        a.lastAlertAt = 39;
        a.peak = new AlertState.Candidate(1_700_000_360_000L, 95.5, 50.25, 2.5, 9L, 31.0, 0.91,
                AnomalyScorer.ErrorTail.LARGE, 7.5, 1.02);
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

    @Test
    void roundTripKeepsAnEpisodeInProgress() throws IOException {
        for (SeriesState s : new SeriesState[] {alerting(), withSmallTailPeak()}) {
            SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
            assertEquals(s.alert, back.alert);
            assertEquals(s, back);
        }
    }

    private static SeriesState withSmallTailPeak() {
        SeriesState s = alerting();
        s.alert.active = false;
        s.alert.raised = null;
        s.alert.peak = new AlertState.Candidate(5L, 1.0, 1.0, 0.5, 9L, 0.001, 0.75,
                AnomalyScorer.ErrorTail.SMALL, 0.01, 0.98);
        return s;
    }

    /**
     * Checkpoints taken before alerts existed (format 2) must still restore: the bytes below are
     * laid out field by field as format 2 wrote them. The key keeps everything it had; its alert
     * state is idle, with the observations it already had counted towards the warm-up.
     */
    @Test
    void formatTwoStatesStillRead() throws IOException {
        SeriesState s = full();
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(2);
        writeFormatOneFields(s, out);
        out.writeLong(s.observations);
        AnomalyState a = s.anomaly;
        out.writeLong(a.residuals);
        out.writeDouble(a.residualMean);
        out.writeDouble(a.residualVar);
        out.writeInt(a.recentSurprises.length);
        for (double v : a.recentSurprises) {
            out.writeDouble(v);
        }
        out.writeLong(a.surpriseCount);
        out.writeLong(a.windows);
        out.writeDouble(a.windowMean);
        out.writeDouble(a.windowVar);
        out.writeBoolean(true);
        out.writeInt(s.history.ring().length);
        for (double v : s.history.ring()) {
            out.writeDouble(v);
        }
        out.writeLong(s.history.added());
        out.writeLong(s.history.startScaler().count());
        out.writeDouble(s.history.startScaler().mean());
        out.writeDouble(s.history.startScaler().m2());
        out.writeBoolean(true);
        byte[] model = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).encode(s.ownModel);
        out.writeInt(model.length);
        out.write(model);

        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        AlertState expectedAlert = new AlertState();
        expectedAlert.points = s.observations;
        expectedAlert.modelVersion = s.modelVersion;
        s.alert = expectedAlert;
        assertEquals(withEstimatedTimes(s), back);
        assertEquals(41, back.alert.points);
        assertEquals(9L, back.alert.modelVersion, "no model change seen on the next observation");
        assertEquals(false, back.alert.active);
    }

    /** {@code s} with the history times a format without them restores: one step apart up to the last event. */
    private static SeriesState withEstimatedTimes(SeriesState s) {
        SeriesState expected = s.copy();
        SeriesHistory h = s.history;
        long[] times = new long[h.capacity()];
        int held = h.size();
        for (int i = 0; i < held; i++) {
            times[(int) ((h.added() - held + i) % h.capacity())] = s.lastEventTime - (held - 1 - i) * s.stepMillis;
        }
        expected.history = new SeriesHistory(h.ring().clone(), times, h.added(), h.startScaler());
        return expected;
    }

    private static void writeFormatOneFields(SeriesState s, DataOutputSerializer out) throws IOException {
        out.writeInt(s.recurrent.h.length);
        for (int layer = 0; layer < s.recurrent.h.length; layer++) {
            for (float[] v : new float[][] {s.recurrent.h[layer], s.recurrent.c[layer]}) {
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        out.writeLong(s.scaler.count());
        out.writeDouble(s.scaler.mean());
        out.writeDouble(s.scaler.m2());
        out.writeLong(s.modelVersion);
        out.writeLong(s.lastEventTime);
        out.writeLong(s.stepMillis);
        out.writeInt(s.lastForecast.length);
        for (double v : s.lastForecast) {
            out.writeDouble(v);
        }
    }

    @Test
    void unknownSeverityIsRejected() throws IOException {
        SeriesState s = alerting();
        s.history = null;
        s.ownModel = null;
        byte[] bytes = write(s);
        // Without history and own model the state ends with the alert state, two absent flags, an
        // empty spreads array (its length) and the scaler's memory.
        int peakBytes = 8 + 3 * 8 + 8 + 2 * 8 + 1 + 2 * 8;
        int alertBytes = 3 * 8 + 1 + 1 + 4 + 4 + 8 + 1 + peakBytes;
        int alertStart = bytes.length - 4 - 4 - 2 - alertBytes;
        int at = alertStart + 3 * 8 + 1; // after point count, model version, warm-up start, active flag
        assertEquals(1 + Severity.WARNING.ordinal(), bytes[at]);
        bytes[at] = 7;
        assertThrows(IOException.class,
                () -> SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
    }

    @Test
    void roundTripKeepsThePredictedSpreads() throws IOException {
        SeriesState s = full();
        s.lastSpreads = new double[] {0.5, 0.75, 1.25};
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
        assertArrayEquals(s.lastSpreads, back.lastSpreads);
        assertEquals(s, back);
        s.lastSpreads = new double[] {0.5, 0.75, 1.5};
        assertNotEquals(s, back, "equals sees the spreads");
    }

    /**
     * Checkpoints taken before probabilistic heads (format 3) must still restore: format 3 is
     * format 4 without the trailing spreads, and such a key has none.
     */
    @Test
    void formatThreeStatesStillRead() throws IOException {
        SeriesState s = alerting();
        byte[] current = write(s);
        assertEquals(6, current[0]);
        byte[] old = java.util.Arrays.copyOf(current, current.length - 8 - 4 - 4 - 8 * s.history.capacity());
        old[0] = 3;
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(old));
        assertEquals(withEstimatedTimes(s), back);
        assertEquals(0, back.lastSpreads.length);
    }

    /**
     * Checkpoints taken before histories kept times (format 4) must still restore: format 4 is
     * format 5 without the trailing time ring. The times are estimated one step apart up to the
     * last event, which is exact for a regular series like this one.
     */
    @Test
    void formatFourStatesStillReadWithEstimatedTimes() throws IOException {
        SeriesState s = full();
        s.lastEventTime = 10_000L;
        s.stepMillis = 1_000L;
        byte[] current = write(s);
        byte[] old = java.util.Arrays.copyOf(current, current.length - 8 - 4 - 8 * s.history.capacity());
        old[0] = 4;
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(old));
        assertEquals(s, back);
        assertArrayEquals(new long[] {3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000}, back.history.times());

        s.history.add(12_000L, 1.0);
        SeriesState irregular = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
        assertEquals(12_000L, irregular.history.times()[7], "format 5 keeps the real times");
    }

    @Test
    void roundTripKeepsTheScalingMemories() throws IOException {
        SeriesState s = full();
        s.scaler = new SeriesScaler(900, 3.5, 7.25 * 720, 720);
        s.history = new SeriesHistory(8, new SeriesScaler(3, 1.0, 0.5, 2));
        for (int i = 0; i < 11; i++) {
            s.history.add(1_000L * i, i * 0.5);
        }
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(write(s)));
        assertEquals(s, back);
        assertEquals(720, back.scaler.memory());
        assertEquals(2, back.history.startScaler().memory());
        assertEquals(s.scaler.scale(), back.scaler.scale());
    }

    /**
     * Checkpoints taken before scaling memories (format 5) must still restore: format 5 is format 6
     * without the two trailing memories, and every model then kept lifetime statistics.
     */
    @Test
    void formatFiveStatesStillReadWithLifetimeStatistics() throws IOException {
        SeriesState s = alerting();
        byte[] current = write(s);
        byte[] old = java.util.Arrays.copyOf(current, current.length - 8);
        old[0] = 5;
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(old));
        assertEquals(s, back);
        assertEquals(SeriesScaler.LIFETIME, back.scaler.memory());
        assertEquals(SeriesScaler.LIFETIME, back.history.startScaler().memory());
    }

    @Test
    void anInvalidMemoryIsACorruptState() throws IOException {
        byte[] bytes = write(sample());
        java.nio.ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 1);
        IOException e = assertThrows(IOException.class,
                () -> SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
        assertEquals("Corrupt SeriesState: scaling memory must be 0 (lifetime) or >= 2, was 1", e.getMessage());
    }

    /** Checkpoints taken before the anomaly statistics existed must still restore. */
    @Test
    void formatOneStatesStillRead() throws IOException {
        SeriesState s = sample();
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(1);
        writeFormatOneFields(s, out);
        SeriesState back = SeriesStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(s, back);
        assertNull(back.history);
        assertNull(back.ownModel);
    }

    @Test
    void copyIsDeep() {
        SeriesState s = alerting();
        SeriesState copy = SeriesStateSerializer.INSTANCE.copy(s);
        assertEquals(s, copy);
        assertNotSame(s.recurrent.h[0], copy.recurrent.h[0]);
        copy.recurrent.h[0][0] = 42f;
        assertEquals(0.1f, s.recurrent.h[0][0]);
        assertNotSame(s.alert, copy.alert);
        copy.alert.quiet = 5;
        assertEquals(0, s.alert.quiet);
        assertNotEquals(s, copy, "equals sees the alert state");
    }

    @Test
    void streamCopyMatchesSerialize() throws IOException {
        byte[] bytes = write(alerting());
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
