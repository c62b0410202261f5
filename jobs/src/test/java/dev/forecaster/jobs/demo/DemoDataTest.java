package dev.forecaster.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.Observation;

class DemoDataTest {

    @TempDir Path temp;

    @Test
    void syntheticSensorsAreSeededAndContinueAfterTheHistory() {
        SyntheticSensors a = new SyntheticSensors(3, 100, 5L);
        SyntheticSensors b = new SyntheticSensors(3, 100, 5L);
        assertEquals(List.of("sensor-000", "sensor-001", "sensor-002"), a.keys());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(a.trainingHistory().get(k), b.trainingHistory().get(k));
        }
        Iterator<Observation> stream = a.stream();
        Observation first = stream.next();
        assertEquals("sensor-000", first.getSeriesId());
        assertEquals(SyntheticSensors.EPOCH.plus(SyntheticSensors.STEP.multipliedBy(100)), first.getEventTime());
        assertEquals("sensor-001", stream.next().getSeriesId());
        assertTrue(new SyntheticSensors(3, 100, 6L).trainingHistory().get(0)[50] != a.trainingHistory().get(0)[50]);
    }

    @Test
    void wideCsvSplitsHistoryAndStreamsRowsAcrossColumns() throws IOException {
        Path csv = temp.resolve("wide.csv");
        Files.writeString(csv, "date,x,y\n2016-07-01 00:00:00,1,10\n2016-07-01 01:00:00,2,20\n"
                + "2016-07-01 02:00:00,3,30\n2016-07-01 03:00:00,4,40\n");
        CsvWideData data = CsvWideData.read(csv, 0.5);
        assertEquals(List.of("x", "y"), data.keys());
        assertArrayEquals(new double[] {1, 2}, data.trainingHistory().get(0));
        Iterator<Observation> it = data.stream();
        Observation o = it.next();
        assertEquals("x", o.getSeriesId());
        assertEquals(3.0, o.getValue());
        assertEquals(Instant.parse("2016-07-01T02:00:00Z"), o.getEventTime());
        assertEquals(30.0, it.next().getValue());
        it.next();
        it.next();
        assertTrue(!it.hasNext());
    }

    @Test
    void badCsvSaysWhereAndWhy() throws IOException {
        Path csv = temp.resolve("bad.csv");
        Files.writeString(csv, "date,x\n2016-07-01 00:00:00,1\nyesterday,2\n2016-07-01 02:00:00,3\n");
        IOException e = assertThrows(IOException.class, () -> CsvWideData.read(csv, 0.5));
        assertTrue(e.getMessage().contains(":3: cannot parse timestamp 'yesterday'"), e.getMessage());
    }

    @Test
    void scoreComparesOneStepForecastsWithPersistenceOnTheSamePairs() {
        GroundTruth truth = new GroundTruth();
        long step = 1000;
        double[] values = {10, 12, 11, 15};
        for (int t = 0; t < values.length; t++) {
            truth.record("s", t * step, values[t]);
        }
        ForecastScore score = new ForecastScore(truth);
        double[] oneStep = {11, 12, 14}; // forecasts made at t=0,1,2 for t+1
        for (int t = 0; t < values.length; t++) {
            score.accept(Forecast.newBuilder().setSeriesId("s").setOriginTime(Instant.ofEpochMilli(t * step))
                    .setStepMillis(step).setMeans(List.of(t < oneStep.length ? oneStep[t] : 0.0)).setSpreads(null)
                    .setModelVersion(1).setEmittedAt(Instant.EPOCH).build());
        }
        assertEquals(3, score.pairs());
        assertEquals((1 + 1 + 1) / 3.0, score.modelMae(), 1e-12);
        assertEquals((2 + 1 + 4) / 3.0, score.persistenceMae(), 1e-12);
    }
}
