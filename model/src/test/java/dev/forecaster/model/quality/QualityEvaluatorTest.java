package dev.forecaster.model.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class QualityEvaluatorTest {

    private static Label anomaly(String series, String type, int start, int end) {
        return new Label(series, type, Label.Category.ANOMALY, start, end, 0, 0, Double.NaN);
    }

    private static Label problem(String series, String type, int row) {
        return new Label(series, type, Label.Category.DATA_PROBLEM, row, row, 0, 0, Double.NaN);
    }

    private static Map<String, Integer> rows(Object... seriesAndCounts) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < seriesAndCounts.length; i += 2) {
            m.put((String) seriesAndCounts[i], (Integer) seriesAndCounts[i + 1]);
        }
        return m;
    }

    @Test
    void detectionInsideOrWithinToleranceAfterTheWindowHitsItOnce() {
        List<Label> labels = List.of(anomaly("a", "spike", 100, 100), anomaly("a", "spike", 200, 200),
                anomaly("a", "spike", 300, 300), anomaly("a", "spike", 400, 400));
        List<Detection> detections = List.of(
                new Detection("a", 100), // hit, delay 0
                new Detection("a", 103), // repeat of the same window
                new Detection("a", 205), // hit at the tolerance's last row, delay 5
                new Detection("a", 306), // one row past the tolerance: false alert
                new Detection("a", 399)); // before the window: a causal detector cannot know, false alert
        QualityReport r = new QualityEvaluator(5).evaluate(labels, rows("a", 10_000), detections);
        TypeQuality spike = r.type("spike");
        assertEquals(4, spike.windows());
        assertEquals(2, spike.hits());
        assertEquals(2, spike.falseAlerts());
        assertArrayEquals(new int[] {0, 5}, spike.delays());
        assertEquals(1, r.repeats());
        assertEquals(0.5, spike.precision(), 1e-12);
        assertEquals(0.5, spike.recall(), 1e-12);
        assertEquals(0.5, spike.f1(), 1e-12);
        assertEquals(2.0, spike.falseAlertsPer10k(), 1e-12);
        assertEquals(spike.hits(), r.overall().hits());
    }

    @Test
    void falseAlertsAreChargedToTheTypeOfTheirSeriesAndAlwaysOverall() {
        List<Label> labels = List.of(
                anomaly("s", "spike", 50, 50),
                anomaly("f", "flat_line", 50, 59),
                anomaly("m", "spike", 50, 50), anomaly("m", "flat_line", 100, 109),
                problem("f", "gap", 500));
        List<Detection> detections = List.of(
                new Detection("s", 50), new Detection("s", 900),
                new Detection("f", 59), new Detection("f", 501), new Detection("f", 700),
                new Detection("m", 50), new Detection("m", 300),
                new Detection("quiet", 10));
        QualityReport r = new QualityEvaluator(3).evaluate(labels,
                rows("s", 1000, "f", 2000, "m", 1000, "quiet", 1000), detections);

        TypeQuality spike = r.type("spike");
        assertEquals(2, spike.windows(), "windows of every series");
        assertEquals(2, spike.hits());
        assertEquals(1, spike.falseAlerts(), "only series s is all spikes");
        assertEquals(1000, spike.points());
        assertEquals(2.0 / 3, spike.precision(), 1e-12);

        TypeQuality flat = r.type("flat_line");
        assertEquals(2, flat.windows());
        assertEquals(1, flat.hits());
        assertArrayEquals(new int[] {9}, flat.delays());
        assertEquals(2, flat.falseAlerts());
        assertEquals(2000, flat.points());
        assertEquals(10.0, flat.falseAlertsPer10k(), 1e-12);

        TypeQuality all = r.overall();
        assertEquals(4, all.windows());
        assertEquals(3, all.hits());
        assertEquals(5, all.falseAlerts(), "mixed and unlabelled series count overall");
        assertEquals(5000, all.points());
        assertEquals(10.0, all.falseAlertsPer10k(), 1e-12);
        assertEquals(1, r.falseAlertsNearDataProblems(), "row 501 is within 3 rows after the gap");
        assertEquals(List.of("spike", "flat_line"), r.types().stream().map(TypeQuality::type).toList());
        assertEquals(Map.of("s", 10.0, "f", 10.0, "m", 10.0, "quiet", 10.0), r.falseAlertsPer10kBySeries());
    }

    @Test
    void withoutDetectionsRecallIsZeroAndPrecisionUndefined() {
        QualityReport r = new QualityEvaluator(0).evaluate(List.of(anomaly("a", "dip", 5, 5)), rows("a", 100), List.of());
        TypeQuality dip = r.type("dip");
        assertEquals(0.0, dip.recall());
        assertTrue(Double.isNaN(dip.precision()));
        assertTrue(Double.isNaN(dip.f1()));
        assertTrue(Double.isNaN(dip.medianDelay()));
        assertEquals(0.0, dip.falseAlertsPer10k());
    }

    @Test
    void delayPercentilesUseTheNearestRank() {
        List<Label> labels = new java.util.ArrayList<>();
        List<Detection> detections = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            labels.add(anomaly("a", "trend_change", 100 * i, 100 * i + 50));
            detections.add(new Detection("a", 100 * i + i)); // delays 0..9
        }
        TypeQuality t = new QualityEvaluator(0).evaluate(labels, rows("a", 1000), detections).type("trend_change");
        assertEquals(4.0, t.medianDelay(), "rank ceil(0.5 * 10) = 5th smallest");
        assertEquals(8.0, t.p90Delay(), "rank ceil(0.9 * 10) = 9th smallest");
        assertEquals(1.0, t.f1());
    }

    @Test
    void labelsOrDetectionsOfUnknownSeriesAreRejected() {
        QualityEvaluator e = new QualityEvaluator(1);
        assertThrows(IllegalArgumentException.class,
                () -> e.evaluate(List.of(anomaly("x", "spike", 1, 1)), rows("a", 10), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> e.evaluate(List.of(), rows("a", 10), List.of(new Detection("x", 1))));
        assertThrows(IllegalArgumentException.class, () -> new QualityEvaluator(-1));
    }

    @Test
    void scoreDetectionsStartAtRisingEdges() {
        double[] scores = {0.1, 0.7, 0.8, 0.2, 0.7, 0.69, 0.7, 0.1};
        List<Detection> d = ScoreDetections.risingEdges("a", scores, 0.7);
        assertEquals(List.of(1, 4, 6), d.stream().map(Detection::row).toList());
    }

    @Test
    void thresholdCurvePicksTheBestF1() {
        Map<String, double[]> scores = new LinkedHashMap<>();
        double[] s = new double[100];
        s[10] = 0.9; // the anomaly
        s[50] = 0.6; // noise that only a low threshold reports
        scores.put("a", s);
        List<Label> labels = List.of(anomaly("a", "spike", 10, 10));
        QualityEvaluator e = new QualityEvaluator(2);
        List<ThresholdCurve.Point> curve = ThresholdCurve.sweep(e, labels, rows("a", 100), scores, List.of(0.5, 0.8, 0.95));
        assertEquals(0.5, curve.get(0).overall().precision(), 1e-12);
        assertEquals(1.0, curve.get(1).overall().f1(), 1e-12);
        assertEquals(0.0, curve.get(2).overall().recall(), 1e-12);
        assertEquals(0.8, ThresholdCurve.bestF1(curve).threshold());
    }

    @Test
    void recallIsSplitAtTheMedianMagnitude() {
        List<Label> labels = List.of(
                new Label("a", "spike", Label.Category.ANOMALY, 10, 10, 0, 0, 4.0),
                new Label("a", "spike", Label.Category.ANOMALY, 20, 20, 0, 0, 5.0),
                new Label("a", "spike", Label.Category.ANOMALY, 30, 30, 0, 0, 9.0),
                new Label("a", "spike", Label.Category.ANOMALY, 40, 40, 0, 0, 8.0));
        QualityReport r = new QualityEvaluator(0).evaluate(labels, rows("a", 100),
                List.of(new Detection("a", 20), new Detection("a", 30), new Detection("a", 40)));
        assertEquals(List.of(-1, 0, 0, 0), r.windows().stream().map(QualityReport.WindowOutcome::delay).toList());
        assertTrue(QualityTable.byMagnitude(r).contains("| spike | 5.00 | 0.50 | 1.00 |"), QualityTable.byMagnitude(r));
    }

    @Test
    void tableHasARowPerTypeAndOverall() {
        QualityReport r = new QualityEvaluator(0).evaluate(
                List.of(anomaly("a", "spike", 5, 5), anomaly("b", "dip", 5, 5)), rows("a", 100, "b", 100),
                List.of(new Detection("a", 5), new Detection("b", 50)));
        String table = QualityTable.markdown(r);
        assertTrue(table.contains("| spike | 1 | 1 | 1.00 | 1.00 | 1.00 | 0 | 0 | 0.0 |"), table);
        assertTrue(table.contains("| dip | 1 | 0 | 0.00 | 0.00 | 0.00 | – | – | 100.0 |"), table);
        assertTrue(table.contains("| **all** | 2 | 1 | 0.50 | 0.50 | 0.50 | 0 | 0 | 50.0 |"), table);
        assertTrue(table.contains("per series: min 0.0, median 0.0, max 100.0"), table);
    }
}
