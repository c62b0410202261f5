package dev.forecaster.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class SeriesReportsTest {

    @Test
    void expectedIsTheForecastIssuedAtThePreviousUsedRow() {
        long[] times = {0, 1, 2, 3};
        double[] values = {1, 2, Double.NaN, 4};
        double[][] means = {{10, 11}, {20, 21}, null, {40, 41}};
        SeriesReport r = SeriesReports.build("s", times, values, means, null, new double[4], List.of());
        assertTrue(Double.isNaN(r.expected()[0]), "no forecast before the first row");
        assertEquals(10, r.expected()[1]);
        assertTrue(Double.isNaN(r.expected()[2]), "an unused row has nothing to compare");
        assertEquals(20, r.expected()[3], "the unused row issued no forecast, so row 1's stands");
    }

    @Test
    void maeByStepScoresEveryOriginAgainstItsTargetRow() {
        double[] values = {0, 1, 2, 3};
        double[][] means = {{1, 3}, {1, 2}, {2, 9}, {7, 7}};
        // step 1: |1-1|, |2-1|, |3-2| -> 2/3; step 2: |2-3|, |3-2| -> 1
        assertArrayEquals(new double[] {2.0 / 3, 1.0}, SeriesReports.maeByStep(values, means), 1e-12);
    }

    @Test
    void theBandUsesOnlyEarlierErrorsAndCoversMostRows() {
        SeriesReport r = ReportFixtures.series("s", 600, 3, 1L);
        int inside = 0;
        int counted = 0;
        for (int i = 100; i < 600; i++) {
            if (Double.isFinite(r.actual()[i]) && Double.isFinite(r.lower()[i])) {
                counted++;
                if (r.actual()[i] >= r.lower()[i] && r.actual()[i] <= r.upper()[i]) {
                    inside++;
                }
            }
        }
        double coverage = (double) inside / counted;
        assertTrue(coverage > 0.7 && coverage < 0.9, "about 80 % inside the p10-p90 band: " + coverage);
        assertTrue(r.actual()[ReportFixtures.SPIKE] > r.upper()[ReportFixtures.SPIKE], "the spike is outside its band");

        SeriesReport prefix = ReportFixtures.series("s", ReportFixtures.SPIKE + 1, 3, 1L);
        assertEquals(prefix.upper()[ReportFixtures.SPIKE], r.upper()[ReportFixtures.SPIKE], "causal");
    }

    @Test
    void givenSpreadsTheBandIsTheModelsOwn() {
        double[][] means = {{10}, {20}, {30}};
        double[][] spreads = {{1}, {2}, {3}};
        SeriesReport r = SeriesReports.build("s", new long[3], new double[] {0, 0, 0}, means, spreads,
                new double[3], List.of());
        assertEquals(10 + SeriesReports.Z90, r.upper()[1], 1e-12);
        assertEquals(20 - 2 * SeriesReports.Z90, r.lower()[2], 1e-12);
    }
}
