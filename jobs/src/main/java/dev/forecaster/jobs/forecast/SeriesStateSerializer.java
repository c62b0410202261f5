package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * Compact explicit serializer for {@link SeriesState}, so keyed state never falls back to Kryo.
 *
 * <p>Layout (format 1): format byte; layer count; per layer the h length and floats, then the c
 * length and floats; scaler count, mean, m2; model version; last event time; step; forecast
 * length and doubles. Array lengths are written, not assumed, so a state written under one hidden
 * size can still be read (and then re-synchronised) after the model changes shape.
 */
public final class SeriesStateSerializer extends TypeSerializer<SeriesState> {

    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 1;

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

    @Override
    public SeriesState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("Unknown SeriesState format " + format);
        }
        int layers = in.readInt();
        float[][] h = new float[layers][];
        float[][] c = new float[layers][];
        for (int layer = 0; layer < layers; layer++) {
            h[layer] = readFloats(in);
            c[layer] = readFloats(in);
        }
        SeriesScaler scaler = new SeriesScaler(in.readLong(), in.readDouble(), in.readDouble());
        SeriesState s = new SeriesState(new RecurrentState(h, c), scaler, in.readLong());
        s.lastEventTime = in.readLong();
        s.stepMillis = in.readLong();
        double[] forecast = new double[in.readInt()];
        for (int i = 0; i < forecast.length; i++) {
            forecast[i] = in.readDouble();
        }
        s.lastForecast = forecast;
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

    private static void writeFloats(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
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
