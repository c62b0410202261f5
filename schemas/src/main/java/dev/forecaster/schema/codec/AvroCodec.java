package dev.forecaster.schema.codec;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Avro single-object encoding of one record type, reading any writer schema in {@link
 * BundledSchemas}. Instances are not thread-safe; make one per thread or per operator.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Schema schema) {
        SpecificData model = SpecificData.getForSchema(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, BundledSchemas.store());
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Schema schema) {
        return new AvroCodec<>(schema);
    }

    public byte[] encode(T record) {
        try {
            return encoder.encode(record).array();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + record.getSchema().getFullName(), e);
        }
    }

    /**
     * Decodes one record.
     *
     * @throws IOException when the bytes are not a single-object record of a known schema, or are
     *     truncated or corrupt
     */
    public T decode(byte[] bytes) throws IOException {
        try {
            return decoder.decode(bytes);
        } catch (RuntimeException e) {
            // Avro signals corrupt payloads with assorted runtime exceptions (negative lengths, etc.).
            throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
