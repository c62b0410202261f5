package dev.forecaster.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import dev.forecaster.schema.IngestRecord;

class GraphBenchmarkTest {

    @Test
    void everyKeyComesOnceARoundOneHourAfterItsLastPoint() {
        int keys = 16;
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < 3L * keys; i++) {
            IngestRecord r = GraphBenchmark.record(i, keys);
            long round = i / keys;
            assertTrue(seen.add(r.getObservation().getSeriesId() + "@" + round), "key twice in a round at " + i);
            assertEquals(1_704_067_200_000L + round * 3_600_000L, r.getObservation().getEventTime().toEpochMilli());
        }
        assertEquals(3 * keys, seen.size());
    }

    @Test
    void settingsRejectAWarmUpOnlyRun() {
        assertThrows(IllegalArgumentException.class, () -> new GraphBenchmark.Settings(10, 1, 4, 8, 4, true, 1L));
        assertThrows(IllegalArgumentException.class, () -> new GraphBenchmark.Settings(0, 2, 4, 8, 4, true, 1L));
    }
}
