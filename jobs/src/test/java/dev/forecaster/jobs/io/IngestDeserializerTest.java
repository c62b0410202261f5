package dev.forecaster.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

class IngestDeserializerTest {

    private final IngestDeserializer deserializer = new IngestDeserializer();
    private final AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());

    private IngestRecord ingest(String key, byte[] value) {
        return deserializer.toIngest(new ConsumerRecord<>("observations", 3, 42L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value), 1000L);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void validObservationPassesWithItsSource() {
        Observation obs = Observations.of("s1", Observations.START, 4.5);
        IngestRecord r = ingest("s1", codec.encode(obs));
        assertEquals(obs, r.getObservation());
        assertNull(r.getDeadLetter());
        assertEquals("observations", r.getSourceTopic());
        assertEquals(3, r.getSourcePartition());
        assertEquals(42L, r.getSourceOffset());
    }

    @Test
    void garbageBecomesMalformedDeadLetterWithRawBytes() {
        byte[] garbage = {9, 8, 7, 6, 5};
        IngestRecord r = ingest("k", garbage);
        assertNull(r.getObservation());
        DeadLetter dl = r.getDeadLetter();
        assertNotNull(dl);
        assertEquals(DeadLetters.MALFORMED, dl.getError());
        assertTrue(dl.getReason().startsWith("cannot decode Observation"), dl.getReason());
        assertArrayEquals(garbage, bytes(dl.getRawValue()));
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), bytes(dl.getRawKey()));
        assertEquals(42L, dl.getSourceOffset());
        assertEquals(1000L, dl.getDeadLetteredAt().toEpochMilli());
    }

    @Test
    void tombstoneIsMalformed() {
        assertEquals(DeadLetters.MALFORMED, ingest("k", null).getDeadLetter().getError());
    }

    @Test
    void nonFiniteValuesAreInvalid() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            byte[] value = codec.encode(Observations.of("s1", Observations.START, bad));
            DeadLetter dl = ingest("s1", value).getDeadLetter();
            assertEquals(DeadLetters.INVALID_VALUE, dl.getError(), "value " + bad);
            assertTrue(dl.getReason().contains("not finite"), dl.getReason());
            assertArrayEquals(value, bytes(dl.getRawValue()));
        }
    }

    /** A sensor's sentinel near the double range would overflow the series' statistics. */
    @Test
    void valuesAndFeaturesBeyondTheBoundAreInvalid() {
        for (double bad : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, -1e101}) {
            byte[] value = codec.encode(Observations.of("s1", Observations.START, bad));
            DeadLetter dl = ingest("s1", value).getDeadLetter();
            assertEquals(DeadLetters.INVALID_VALUE, dl.getError(), "value " + bad);
            assertTrue(dl.getReason().contains("beyond"), dl.getReason());
            assertArrayEquals(value, bytes(dl.getRawValue()));
        }
        Observation hugeFeature = Observations.of("s1", Observations.START, 1.0);
        hugeFeature.setFeatures(Map.of("load", 1e200));
        assertTrue(ingest("s1", codec.encode(hugeFeature)).getDeadLetter().getReason().contains("feature 'load' is beyond"));
        assertNull(ingest("s1", codec.encode(Observations.of("s1", Observations.START, -1e100))).getDeadLetter());
    }

    /**
     * An id of hundreds of kilobytes would make every forecast and alert too large to send, failing
     * the job on the same record after each restart; reasons quote user strings only in part.
     */
    @Test
    void oversizedSeriesIdsAreInvalidAndReasonsStaySmall() {
        String longId = "s".repeat(ObservationValidator.MAX_SERIES_ID_CHARS + 1);
        DeadLetter tooLong = ingest(longId, codec.encode(Observations.of(longId, Observations.START, 1.0))).getDeadLetter();
        assertEquals(DeadLetters.INVALID_VALUE, tooLong.getError());
        assertTrue(tooLong.getReason().contains("1025 chars, more than 1024"), tooLong.getReason());
        assertTrue(tooLong.getReason().length() < 400, "reason of " + tooLong.getReason().length() + " chars");
        String atLimit = "t".repeat(ObservationValidator.MAX_SERIES_ID_CHARS);
        assertNull(ingest(atLimit, codec.encode(Observations.of(atLimit, Observations.START, 1.0))).getDeadLetter());

        String hugeKey = "k".repeat(700_000);
        DeadLetter mismatch = ingest(hugeKey, codec.encode(Observations.of("s1", Observations.START, 1.0))).getDeadLetter();
        assertTrue(mismatch.getReason().contains("does not match"), mismatch.getReason());
        assertTrue(mismatch.getReason().contains("(700000 chars)"), mismatch.getReason());
        assertTrue(mismatch.getReason().length() < 600, "reason of " + mismatch.getReason().length() + " chars");
        assertEquals(700_000, bytes(mismatch.getRawKey()).length, "the raw key is kept whole");
    }

    @Test
    void nonFiniteFeatureKeyMismatchAndEmptyIdAreInvalid() {
        Observation withNaNFeature = Observations.of("s1", Observations.START, 1.0);
        withNaNFeature.setFeatures(Map.of("temp", Double.NaN));
        assertTrue(ingest("s1", codec.encode(withNaNFeature)).getDeadLetter().getReason().contains("feature 'temp'"));
        assertTrue(ingest("other", codec.encode(Observations.of("s1", Observations.START, 1.0)))
                .getDeadLetter().getReason().contains("does not match"));
        assertTrue(ingest(null, codec.encode(Observations.of(" ", Observations.START, 1.0)))
                .getDeadLetter().getReason().contains("series id is empty"));
    }
}
