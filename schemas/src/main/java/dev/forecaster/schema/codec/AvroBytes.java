package dev.forecaster.schema.codec;

import org.apache.avro.io.BinaryData;

import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A growable byte buffer that writes Avro's binary encoding of primitives straight into its array,
 * through Avro's own {@link BinaryData} routines, and doubles as the {@link OutputStream} of a
 * datum writer's encoder. Unlike {@code ByteArrayOutputStream} its writes are not synchronized: one
 * buffer belongs to one thread.
 */
final class AvroBytes extends OutputStream {

    /** Enough for any varint. */
    private static final int MAX_PRIMITIVE = 10;
    /** A buffer grown past this by one large record (a model snapshot) is not kept for the next. */
    private static final int RETAINED_MAX = 1 << 20;

    /** Avro writes a double as its IEEE 754 bits, little-endian: one 8-byte store instead of eight. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int initialCapacity;

    private byte[] buf;
    private int size;

    AvroBytes(int capacity) {
        initialCapacity = capacity;
        buf = new byte[capacity];
    }

    void reset() {
        size = 0;
        if (buf.length > RETAINED_MAX) {
            buf = new byte[initialCapacity];
        }
    }

    /** The bytes written since the last reset, copied to an array of their own. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(2 * buf.length, size + more));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /** Avro {@code long} or {@code int}: zig-zag varint. */
    void writeLong(long n) {
        ensure(MAX_PRIMITIVE);
        size += BinaryData.encodeLong(n, buf, size);
    }

    void writeDouble(double d) {
        ensure(Double.BYTES);
        putDouble(d);
    }

    /** Writes d's raw bits (NaN payloads kept, as Avro's encoder does); the caller ensured room. */
    private void putDouble(double d) {
        LONG_LE.set(buf, size, Double.doubleToRawLongBits(d));
        size += Double.BYTES;
    }

    /** Avro {@code string}: byte length, then UTF-8. */
    void writeString(CharSequence s) {
        byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
        writeLong(utf8.length);
        write(utf8, 0, utf8.length);
    }

    /**
     * Avro {@code array<double>} as one block: item count, items, and the zero count that ends the
     * array (an empty array is that zero alone).
     */
    void writeDoubleArray(List<Double> values) {
        int n = values.size();
        if (n > 0) {
            writeLong(n);
            ensure(Double.BYTES * n);
            for (int i = 0; i < n; i++) {
                putDouble(values.get(i));
            }
        }
        writeLong(0);
    }

    /** A {@code ["null", array<double>]} union: branch index 0 for null, 1 then the array. */
    void writeOptionalDoubleArray(List<Double> values) {
        if (values == null) {
            writeLong(0);
        } else {
            writeLong(1);
            writeDoubleArray(values);
        }
    }
}
