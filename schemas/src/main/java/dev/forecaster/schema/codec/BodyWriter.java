package dev.forecaster.schema.codec;

/**
 * Writes the Avro binary body of one record type by hand, for types on a per-record hot path where
 * the generic datum writer's per-field and per-element dispatch costs several times the bytes' own
 * encoding. The bytes must equal the datum writer's for the schema the writer follows; {@link
 * AvroCodec} uses a body writer only for a record of exactly that schema.
 */
interface BodyWriter<T> {

    /**
     * The parsing fingerprint (CRC-64-AVRO) of the schema this writer's field order and types follow;
     * a literal, so that a change to the schema disables the writer instead of changing it.
     */
    long schemaFingerprint();

    void write(T record, AvroBytes out);
}
