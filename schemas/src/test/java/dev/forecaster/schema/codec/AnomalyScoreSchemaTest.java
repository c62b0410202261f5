package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import dev.forecaster.schema.AnomalyScore;

class AnomalyScoreSchemaTest {

    private static AnomalyScore fromKafka() {
        return AnomalyScore.newBuilder()
                .setSeriesId("sensor-7")
                .setEventTime(Instant.ofEpochMilli(1_600_000_000_000L))
                .setValue(95.5)
                .setAnomalyScore(0.93)
                .setRow(41L)
                .setSourceTopic("observations")
                .setSourcePartition(2)
                .setSourceOffset(1234L)
                .build();
    }

    @Test
    void roundTripsThroughTheSingleObjectCodecWithAndWithoutSourceCoordinates() throws IOException {
        AvroCodec<AnomalyScore> codec = AvroCodec.of(AnomalyScore.getClassSchema());
        assertEquals(fromKafka(), codec.decode(codec.encode(fromKafka())));
        AnomalyScore fromFile = AnomalyScore.newBuilder(fromKafka())
                .setSourceTopic(null).setSourcePartition(null).setSourceOffset(null).build();
        AnomalyScore read = codec.decode(codec.encode(fromFile));
        assertEquals(fromFile, read);
        assertNull(read.getSourceOffset());
    }

    @Test
    void theBundledStoreKnowsTheSchema() throws IOException {
        long fingerprint = SchemaNormalization.parsingFingerprint64(AnomalyScore.getClassSchema());
        assertNotNull(BundledSchemas.store().findByFingerprint(fingerprint));
        byte[] bytes = AvroCodec.<AnomalyScore>of(AnomalyScore.getClassSchema()).encode(fromKafka());
        GenericRecord read = new BinaryMessageDecoder<GenericRecord>(
                GenericData.get(), AnomalyScore.getClassSchema(), BundledSchemas.store()).decode(bytes);
        assertEquals(0.93, (double) read.get("anomalyScore"));
        assertEquals(1234L, (long) read.get("sourceOffset"));
    }
}
