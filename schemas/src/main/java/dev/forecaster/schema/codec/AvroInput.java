package dev.forecaster.schema.codec;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over Avro binary data in a byte array, for {@link BodyReader}s: the primitive reads of
 * Avro's {@code BinaryDecoder}, with its rules for what is malformed (a varint longer than its
 * type allows, a negative length, data that ends early), each reported as an {@link IOException}.
 * Lengths are checked against the bytes that are left before anything is allocated, so corrupt
 * input cannot make it allocate more than the input's size.
 */
final class AvroInput {

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private int pos;

    AvroInput(byte[] bytes, int pos) {
        this.bytes = bytes;
        this.pos = pos;
    }

    private int next() throws EOFException {
        if (pos >= bytes.length) {
            throw new EOFException("Avro data ends at byte " + pos);
        }
        return bytes[pos++] & 0xFF;
    }

    private int remaining() {
        return bytes.length - pos;
    }

    /** A zig-zag varint of at most 5 bytes; bits beyond 32 are dropped, as Avro drops them. */
    int readInt() throws IOException {
        int n = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift == 35) {
                throw new IOException("Invalid int encoding");
            }
            int b = next();
            n |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return (n >>> 1) ^ -(n & 1);
            }
        }
    }

    /** A zig-zag varint of at most 10 bytes. */
    long readLong() throws IOException {
        long n = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift == 70) {
                throw new IOException("Invalid long encoding");
            }
            int b = next();
            n |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return (n >>> 1) ^ -(n & 1);
            }
        }
    }

    double readDouble() throws IOException {
        if (remaining() < Double.BYTES) {
            throw new EOFException("Avro data ends inside a double at byte " + pos);
        }
        long bits = (long) LONG_LE.get(bytes, pos);
        pos += Double.BYTES;
        return Double.longBitsToDouble(bits);
    }

    /** A string, its length a long as Avro reads it (a varint of up to 10 bytes). */
    String readString() throws IOException {
        long length = readLong();
        if (length < 0) {
            throw new IOException("Malformed data. Length is negative: " + length);
        }
        if (length > remaining()) {
            throw new EOFException("Avro string of " + length + " bytes, " + remaining() + " left");
        }
        String s = new String(bytes, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    /** A union's branch, which must be below {@code branches}. */
    int readIndex(int branches) throws IOException {
        int index = readInt();
        if (index < 0 || index >= branches) {
            throw new IOException("Union branch " + index + " of a union of " + branches);
        }
        return index;
    }

    /**
     * The item count of the next block of an array or map, 0 at its end. A negative count is
     * followed by the block's size in bytes, which readers may skip by and this one ignores. A
     * count larger than the bytes left could hold, at {@code minItemBytes} per item, is reported
     * here rather than after allocating for it.
     *
     * @param first whether this is the collection's first block: Avro checks that one's count
     *     with a cast to int and no sign test, so a negated count that overflows (Long.MIN_VALUE)
     *     reads as 0, an empty collection; a later block's is an error
     */
    long readBlockCount(int minItemBytes, boolean first) throws IOException {
        long count = readLong();
        if (count < 0) {
            readLong();
            count = -count;
            if (count < 0) {
                if (first) {
                    return 0;
                }
                throw new IOException("Malformed data. Block count is negative: " + count);
            }
        }
        if (count > remaining() / minItemBytes) {
            throw new EOFException("Avro block of " + count + " items, " + remaining() + " bytes left");
        }
        return count;
    }
}
