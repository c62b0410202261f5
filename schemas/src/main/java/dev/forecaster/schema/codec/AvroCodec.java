package dev.forecaster.schema.codec;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Avro single-object encoding of one record type, reading any writer schema in {@link
 * BundledSchemas}. Encoding and decoding are safe from several threads, as Avro's message encoder
 * and decoder are; each thread has its own scratch buffer.
 *
 * <p>Encoding writes the single-object header (marker and schema fingerprint) and the binary body
 * into a reused, unsynchronized buffer; Avro's {@code BinaryMessageEncoder} writes through a
 * {@code ByteArrayOutputStream}, one synchronized call per field and array element, which doubled
 * the cost. Record types on a per-record hot path have a hand-written {@link BodyWriter}, used
 * only while the record's schema is the one it was written for. The bytes are Avro's either way
 * ({@code AvroCodecTest} compares them with {@code BinaryMessageEncoder}'s).
 *
 * <p>Decoding goes through Avro's {@code BinaryMessageDecoder}, which resolves any bundled writer
 * schema against the reader's, except for record types read once per record at a source: a body
 * written with exactly the reader's schema is then read by a hand-written {@link BodyReader}, which
 * returns what Avro returns and fails where Avro fails ({@code ObservationBodyReaderTest}).
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Single-object encoding's marker, before the 8-byte little-endian fingerprint. */
    private static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};
    private static final List<BodyWriter<?>> BODY_WRITERS = List.of(new ForecastBodyWriter());
    private static final List<BodyReader<?>> BODY_READERS = List.of(new ObservationBodyReader());
    /**
     * Whether the JVM sets Avro's decoding limits (string length, collection items), which Avro
     * reads once, at class loading; the body readers do not apply them, so Avro's decoder then reads
     * every record, and the limits hold as configured.
     */
    private static final boolean AVRO_LIMITS_SET =
            System.getProperty("org.apache.avro.limits.string.maxLength") != null
                    || System.getProperty("org.apache.avro.limits.collectionItems.maxLength") != null;

    private final String recordName;
    private final byte[] header;
    private final DatumWriter<T> datumWriter;
    /** Null when the generic datum writer encodes this type. */
    private final BodyWriter<T> bodyWriter;
    /** Null when Avro's decoder reads every body of this type. */
    private final BodyReader<T> bodyReader;
    private final BinaryMessageDecoder<T> decoder;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** One thread's output buffer, and the datum writer's encoder over it. */
    private static final class Scratch {
        final AvroBytes out = new AvroBytes(1024);
        BinaryEncoder encoder;
    }

    private AvroCodec(Schema schema) {
        SpecificData model = SpecificData.getForSchema(schema);
        this.recordName = schema.getFullName();
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.header = new byte[MARKER.length + Long.BYTES];
        System.arraycopy(MARKER, 0, header, 0, MARKER.length);
        for (int i = 0; i < Long.BYTES; i++) {
            header[MARKER.length + i] = (byte) (fingerprint >>> (8 * i));
        }
        this.datumWriter = new SpecificDatumWriter<>(schema, model);
        this.bodyWriter = find(BODY_WRITERS, BodyWriter::schemaFingerprint, fingerprint);
        this.bodyReader = AVRO_LIMITS_SET ? null : find(BODY_READERS, BodyReader::schemaFingerprint, fingerprint);
        this.decoder = new BinaryMessageDecoder<>(model, schema, BundledSchemas.store());
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Schema schema) {
        return new AvroCodec<>(schema);
    }

    /** The hand-written coder that follows exactly this schema (a historical version of it has another fingerprint). */
    @SuppressWarnings("unchecked")
    private static <C, X> C find(List<X> coders, ToLongFunction<X> fingerprintOf, long fingerprint) {
        for (X coder : coders) {
            if (fingerprintOf.applyAsLong(coder) == fingerprint) {
                return (C) coder;
            }
        }
        return null;
    }

    /** Whether a hand-written body writer, not the generic datum writer, encodes this type. */
    boolean usesBodyWriter() {
        return bodyWriter != null;
    }

    /** Whether a hand-written body reader, not Avro's decoder, reads bodies of this very schema. */
    boolean usesBodyReader() {
        return bodyReader != null;
    }

    public byte[] encode(T record) {
        Scratch s = scratch.get();
        AvroBytes out = s.out;
        out.reset();
        out.write(header, 0, header.length);
        if (bodyWriter != null) {
            bodyWriter.write(record, out);
        } else {
            try {
                s.encoder = EncoderFactory.get().binaryEncoder(out, s.encoder);
                datumWriter.write(record, s.encoder);
                s.encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot encode " + recordName, e);
            }
        }
        byte[] bytes = out.toByteArray();
        // Drops a buffer one large record (a model snapshot) grew, rather than keeping it per thread.
        out.reset();
        return bytes;
    }

    /**
     * Decodes one record.
     *
     * @throws IOException when the bytes are not a single-object record of a known schema, or are
     *     truncated or corrupt
     */
    public T decode(byte[] bytes) throws IOException {
        try {
            if (bodyReader != null && startsWith(bytes, header)) {
                return bodyReader.read(new AvroInput(bytes, header.length));
            }
            return decoder.decode(bytes);
        } catch (RuntimeException e) {
            // Avro signals corrupt payloads with assorted runtime exceptions (negative lengths, etc.).
            throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
