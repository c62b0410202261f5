package dev.forecaster.schema.codec;

import java.io.IOException;

/**
 * Reads the Avro binary body of one record type by hand, for types decoded once per record at a
 * job's source, where the resolving datum reader's per-field dispatch costs several times the
 * bytes' own decoding. It must return what the datum reader returns for bodies written with the
 * schema it follows, and fail where that fails; {@link AvroCodec} uses it only for bodies whose
 * single-object header names exactly that schema, and Avro's decoder for every other.
 */
interface BodyReader<T> {

    /** The parsing fingerprint (CRC-64-AVRO) of the schema this reader follows; a literal, see {@link BodyWriter}. */
    long schemaFingerprint();

    T read(AvroInput in) throws IOException;
}
