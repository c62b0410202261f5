package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

import dev.forecaster.model.anomaly.AlertState;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.anomaly.AnomalyState;
import dev.forecaster.model.anomaly.Severity;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesHistory;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Compact explicit serializer for {@link SeriesState}, so keyed state never falls back to Kryo.
 *
 * <p>Layout (format 6): format byte; layer count; per layer the h length and floats, then the c
 * length and floats; scaler count, mean, m2; model version; last event time; step; forecast
 * length and doubles; then observation count; anomaly statistics (residual count, mean, variance;
 * surprise ring length and doubles, surprise count; window count, mean, variance); alert state
 * (points, model version, warm-up start, active flag, raised severity byte, run, quiet, point of
 * the last alert; a flag and the pending peak: event time, observed, expected, spread, model
 * version, surprise, likelihood, tail byte, window mean, usual mean); a flag and the history (ring length and doubles, added count, evicted
 * scaler); a flag and the own model (length and single-object Avro bytes); the last forecast's
 * predicted spreads (length and doubles; 0 without a probabilistic head); with a history, its
 * event-time ring (length and longs, slot for slot with the values); the scaler's memory, then with a
 * history the evicted scaler's (ints). Array lengths are
 * written, not assumed, so a state written under one hidden size can still be read (and then
 * re-synchronised) after the model changes shape.
 *
 * <p>Older formats are still read: format 5 (no scaling memories) gets lifetime statistics, the
 * only kind there was; format 4 (no history times) gets times estimated as if the
 * held values had arrived one step apart up to the last event time, which is exact for regularly
 * sampled series and only matters to models with calendar features; format 3 (no spreads) gets none, as a point forecast; format 2 (no alert state) gets an idle alert state whose
 * warm-up counts the observations the key has already had with its current model; format 1 (the first five groups only)
 * also gets fresh anomaly statistics.
 */
public final class SeriesStateSerializer extends TypeSerializer<SeriesState> {

    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 6;
    private static final byte FORMAT_WITHOUT_MEMORY = 5;
    private static final byte FORMAT_WITHOUT_HISTORY_TIMES = 4;
    private static final byte FORMAT_WITHOUT_SPREADS = 3;
    private static final byte FORMAT_WITHOUT_ALERTS = 2;
    private static final byte FORMAT_WITHOUT_ANOMALY = 1;

    public static final SeriesStateSerializer INSTANCE = new SeriesStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<SeriesState> duplicate() {
        return this; // stateless
    }

    @Override
    public SeriesState createInstance() {
        return new SeriesState(
                new RecurrentState(new float[0][], new float[0][]), new SeriesScaler(), 0L);
    }

    @Override
    public SeriesState copy(SeriesState from) {
        return from.copy();
    }

    @Override
    public SeriesState copy(SeriesState from, SeriesState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        float[][] h = s.recurrent.h;
        float[][] c = s.recurrent.c;
        out.writeInt(h.length);
        for (int layer = 0; layer < h.length; layer++) {
            writeFloats(h[layer], out);
            writeFloats(c[layer], out);
        }
        writeScaler(s.scaler, out);
        out.writeLong(s.modelVersion);
        out.writeLong(s.lastEventTime);
        out.writeLong(s.stepMillis);
        out.writeInt(s.lastForecast.length);
        for (double v : s.lastForecast) {
            out.writeDouble(v);
        }
        out.writeLong(s.observations);
        AnomalyState a = s.anomaly;
        out.writeLong(a.residuals);
        out.writeDouble(a.residualMean);
        out.writeDouble(a.residualVar);
        writeDoubles(a.recentSurprises, out);
        out.writeLong(a.surpriseCount);
        out.writeLong(a.windows);
        out.writeDouble(a.windowMean);
        out.writeDouble(a.windowVar);
        writeAlertState(s.alert, out);
        out.writeBoolean(s.history != null);
        if (s.history != null) {
            writeDoubles(s.history.ring(), out);
            out.writeLong(s.history.added());
            writeScaler(s.history.startScaler(), out);
        }
        out.writeBoolean(s.ownModel != null);
        if (s.ownModel != null) {
            // A codec per call: this serializer is a shared stateless singleton, and own models
            // exist only in backfill, where state is rarely serialised.
            byte[] bytes = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).encode(s.ownModel);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        writeDoubles(s.lastSpreads, out);
        if (s.history != null) {
            writeLongs(s.history.timeRing(), out);
        }
        out.writeInt(s.scaler.memory());
        if (s.history != null) {
            out.writeInt(s.history.startScaler().memory());
        }
    }

    @Override
    public SeriesState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT && format != FORMAT_WITHOUT_MEMORY && format != FORMAT_WITHOUT_HISTORY_TIMES && format != FORMAT_WITHOUT_SPREADS && format != FORMAT_WITHOUT_ALERTS
                && format != FORMAT_WITHOUT_ANOMALY) {
            throw new IOException("Unknown SeriesState format " + format);
        }
        int layers = in.readInt();
        float[][] h = new float[layers][];
        float[][] c = new float[layers][];
        for (int layer = 0; layer < layers; layer++) {
            h[layer] = readFloats(in);
            c[layer] = readFloats(in);
        }
        SeriesScaler scaler = readScaler(in);
        SeriesState s = new SeriesState(new RecurrentState(h, c), scaler, in.readLong());
        s.lastEventTime = in.readLong();
        s.stepMillis = in.readLong();
        double[] forecast = new double[in.readInt()];
        for (int i = 0; i < forecast.length; i++) {
            forecast[i] = in.readDouble();
        }
        s.lastForecast = forecast;
        if (format == FORMAT_WITHOUT_ANOMALY) {
            return s;
        }
        s.observations = in.readLong();
        AnomalyState a = new AnomalyState(0);
        a.residuals = in.readLong();
        a.residualMean = in.readDouble();
        a.residualVar = in.readDouble();
        a.recentSurprises = readDoubles(in);
        a.surpriseCount = in.readLong();
        a.windows = in.readLong();
        a.windowMean = in.readDouble();
        a.windowVar = in.readDouble();
        s.anomaly = a;
        if (format == FORMAT_WITHOUT_ALERTS) {
            s.alert.points = s.observations;
            s.alert.modelVersion = s.modelVersion;
        } else {
            s.alert = readAlertState(in);
        }
        double[] ring = null;
        long added = 0;
        SeriesScaler evicted = null;
        if (in.readBoolean()) {
            ring = readDoubles(in);
            added = in.readLong();
            evicted = readScaler(in);
        }
        if (in.readBoolean()) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            s.ownModel = AvroCodec.<ModelSnapshot>of(ModelSnapshot.getClassSchema()).decode(bytes);
        }
        if (format == FORMAT || format == FORMAT_WITHOUT_MEMORY || format == FORMAT_WITHOUT_HISTORY_TIMES) {
            s.lastSpreads = readDoubles(in);
        }
        long[] times = null;
        if (ring != null) {
            times = format == FORMAT || format == FORMAT_WITHOUT_MEMORY
                    ? readLongs(in) : estimatedTimes(ring.length, added, s);
        }
        if (format == FORMAT) {
            s.scaler = withMemory(s.scaler, in.readInt());
            if (ring != null) {
                evicted = withMemory(evicted, in.readInt());
            }
        }
        if (ring != null) {
            s.history = new SeriesHistory(ring, times, added, evicted);
        }
        return s;
    }

    @Override
    public SeriesState deserialize(SeriesState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /** A ring of times for a history written without them: one step apart up to the last event. */
    private static long[] estimatedTimes(int capacity, long added, SeriesState s) {
        long[] times = new long[capacity];
        int held = (int) Math.min(added, capacity);
        long last = s.lastEventTime == Long.MIN_VALUE ? 0L : s.lastEventTime;
        for (int i = 0; i < held; i++) {
            int slot = (int) ((added - held + i) % capacity);
            times[slot] = last - (held - 1 - i) * s.stepMillis;
        }
        return times;
    }

    private static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeAlertState(AlertState a, DataOutputView out) throws IOException {
        out.writeLong(a.points);
        out.writeLong(a.modelVersion);
        out.writeLong(a.warmFrom);
        out.writeBoolean(a.active);
        out.writeByte(a.raised == null ? 0 : 1 + a.raised.ordinal());
        out.writeInt(a.run);
        out.writeInt(a.quiet);
        out.writeLong(a.lastAlertAt);
        AlertState.Candidate p = a.peak;
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeLong(p.eventTime());
            out.writeDouble(p.observed());
            out.writeDouble(p.expected());
            out.writeDouble(p.spread());
            out.writeLong(p.modelVersion());
            out.writeDouble(p.surprise());
            out.writeDouble(p.likelihood());
            out.writeByte(p.tail().ordinal());
            out.writeDouble(p.windowMean());
            out.writeDouble(p.usualMean());
        }
    }

    private static AlertState readAlertState(DataInputView in) throws IOException {
        AlertState a = new AlertState();
        a.points = in.readLong();
        a.modelVersion = in.readLong();
        a.warmFrom = in.readLong();
        a.active = in.readBoolean();
        int raised = in.readByte();
        a.raised = raised == 0 ? null : enumAt(Severity.values(), raised - 1, "severity");
        a.run = in.readInt();
        a.quiet = in.readInt();
        a.lastAlertAt = in.readLong();
        if (in.readBoolean()) {
            a.peak = new AlertState.Candidate(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readLong(), in.readDouble(), in.readDouble(),
                    enumAt(AnomalyScorer.ErrorTail.values(), in.readByte(), "tail"), in.readDouble(), in.readDouble());
        }
        return a;
    }

    private static <E> E enumAt(E[] values, int ordinal, String what) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("Unknown " + what + " " + ordinal + " in SeriesState");
        }
        return values[ordinal];
    }

    private static void writeFloats(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputView in) throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static void writeScaler(SeriesScaler scaler, DataOutputView out) throws IOException {
        out.writeLong(scaler.count());
        out.writeDouble(scaler.mean());
        out.writeDouble(scaler.m2());
    }

    /** The same statistics, as kept with {@code memory} (not converted: they were written so). */
    private static SeriesScaler withMemory(SeriesScaler scaler, int memory) throws IOException {
        try {
            return new SeriesScaler(scaler.count(), scaler.mean(), scaler.m2(), memory);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupt SeriesState: " + e.getMessage(), e);
        }
    }

    private static SeriesScaler readScaler(DataInputView in) throws IOException {
        return new SeriesScaler(in.readLong(), in.readDouble(), in.readDouble());
    }

    private static float[] readFloats(DataInputView in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SeriesStateSerializer;
    }

    @Override
    public int hashCode() {
        return SeriesStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SeriesState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer on recovery; the format byte handles layout changes within it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
