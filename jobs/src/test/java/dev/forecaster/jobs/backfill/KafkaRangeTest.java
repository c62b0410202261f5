package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

class KafkaRangeTest {

    @Test
    void withoutFlagsTheRangeIsTheWholeLog() {
        assertEquals(KafkaRange.Edge.EARLIEST, KafkaRange.start(null, null));
        assertEquals(KafkaRange.Edge.LATEST, KafkaRange.end(null, null));
        assertEquals(KafkaRange.Edge.EARLIEST, KafkaRange.start("earliest", null));
        assertEquals(KafkaRange.Edge.LATEST, KafkaRange.end(" LATEST ", null));
    }

    @Test
    void offsetsArePartitionOffsetPairs() {
        KafkaRange.Position p = KafkaRange.start("0:100, 2:7", null);
        assertEquals(new KafkaRange.Offsets(new TreeMap<>(Map.of(0, 100L, 2, 7L))), p);
        assertEquals(new KafkaRange.Offsets(new TreeMap<>(Map.of(1, 0L))), KafkaRange.end("1:0", null));
    }

    @Test
    void timestampsAreIsoInstantsOrUtcLocalTimes() {
        assertEquals(new KafkaRange.Timestamp(Instant.parse("2024-01-03T00:00:00Z").toEpochMilli()),
                KafkaRange.start(null, "2024-01-03T00:00:00Z"));
        assertEquals(new KafkaRange.Timestamp(Instant.parse("2024-01-03T00:00:00Z").toEpochMilli()),
                KafkaRange.end(null, "2024-01-03 00:00:00"));
        assertEquals(new KafkaRange.Timestamp(Instant.parse("2024-01-02T23:00:00Z").toEpochMilli()),
                KafkaRange.end(null, "2024-01-03T00:00:00+01:00"));
    }

    @Test
    void misuseIsRejectedWithAMessageNamingTheFlag() {
        assertMessage("--start-offsets and --start-timestamp are mutually exclusive",
                () -> KafkaRange.start("0:1", "2024-01-01T00:00:00Z"));
        assertMessage("--end-offsets and --end-timestamp are mutually exclusive",
                () -> KafkaRange.end("latest", "2024-01-01T00:00:00Z"));
        assertMessage("--start-offsets must be 'earliest' or PARTITION:OFFSET", () -> KafkaRange.start("latest", null));
        assertMessage("--end-offsets must be 'latest' or PARTITION:OFFSET", () -> KafkaRange.end("earliest", null));
        assertMessage("--end-offsets must be 'latest' or PARTITION:OFFSET", () -> KafkaRange.end("0:1,", null));
        assertMessage("--start-offsets must be 'earliest' or PARTITION:OFFSET", () -> KafkaRange.start("0=5", null));
        assertMessage("--start-offsets must be 'earliest' or PARTITION:OFFSET", () -> KafkaRange.start("0:1:2", null));
        assertMessage("--start-offsets needs partitions and offsets of 0 or more", () -> KafkaRange.start("0:-1", null));
        assertMessage("--start-offsets names partition 1 twice", () -> KafkaRange.start("1:5,1:6", null));
        assertMessage("--end-timestamp must be an ISO-8601 time", () -> KafkaRange.end(null, "yesterday"));
        assertMessage("--start-timestamp is after --end-timestamp", () -> new KafkaRange("t",
                KafkaRange.start(null, "2024-02-01T00:00:00Z"), KafkaRange.end(null, "2024-01-01T00:00:00Z")));
        assertMessage("partition 0 starts at offset 9 after its end offset 3",
                () -> new KafkaRange("t", KafkaRange.start("0:9", null), KafkaRange.end("0:3,1:0", null)));
        assertMessage("--input-topic must name a topic",
                () -> new KafkaRange(" ", KafkaRange.Edge.EARLIEST, KafkaRange.Edge.LATEST));
    }

    @Test
    void positionsSortByPartitionThenOffset() {
        assertTrue(BackfillKafka.position(0, 999_999) < BackfillKafka.position(1, 0));
        assertTrue(BackfillKafka.position(3, 5) < BackfillKafka.position(3, 6));
        assertThrows(IllegalStateException.class, () -> BackfillKafka.position(0, 1L << 40));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
