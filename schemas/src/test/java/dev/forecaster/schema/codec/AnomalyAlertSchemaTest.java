package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import dev.forecaster.schema.AlertSeverity;
import dev.forecaster.schema.AnomalyAlert;

class AnomalyAlertSchemaTest {

    private static AnomalyAlert sample() {
        return AnomalyAlert.newBuilder()
                .setSeriesId("sensor-7")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setObserved(95.5)
                .setExpected(50.25)
                .setLower(42.75)
                .setUpper(57.75)
                .setScore(31.2)
                .setLikelihood(0.93)
                .setSeverity(AlertSeverity.CRITICAL)
                .setModelVersion(3L)
                .setReason("observed 95.50 above expected 50.25 by 18.1 spreads (bounds 42.75 to 57.75)")
                .build();
    }

    @Test
    void roundTripsThroughTheSingleObjectCodec() throws IOException {
        AvroCodec<AnomalyAlert> codec = AvroCodec.of(AnomalyAlert.getClassSchema());
        assertEquals(sample(), codec.decode(codec.encode(sample())));
    }

    /** Readers that only know the bundled store (generic consumers, tools) can decode alerts. */
    @Test
    void theBundledStoreKnowsTheSchema() throws IOException {
        long fingerprint = SchemaNormalization.parsingFingerprint64(AnomalyAlert.getClassSchema());
        assertNotNull(BundledSchemas.store().findByFingerprint(fingerprint));
        byte[] bytes = AvroCodec.<AnomalyAlert>of(AnomalyAlert.getClassSchema()).encode(sample());
        GenericRecord read = new BinaryMessageDecoder<GenericRecord>(
                GenericData.get(), AnomalyAlert.getClassSchema(), BundledSchemas.store()).decode(bytes);
        assertEquals("CRITICAL", read.get("severity").toString());
        assertEquals(1_700_000_000_000L, (long) read.get("eventTime"));
    }
}
