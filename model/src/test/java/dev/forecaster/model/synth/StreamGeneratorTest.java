package dev.forecaster.model.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.forecaster.model.quality.Label;

class StreamGeneratorTest {

    private static final long HOUR = 3_600_000L;

    private static GeneratedStreams defaults(long seed) {
        return StreamGenerator.synthetic(GeneratorOptions.defaults(seed));
    }

    @Test
    void theSameSeedGivesTheSameStreamsAndAnotherSeedOthers() {
        GeneratedStreams a = defaults(5);
        GeneratedStreams b = defaults(5);
        GeneratedStreams c = defaults(6);
        assertEquals(a.labels(), b.labels());
        for (int k = 0; k < a.series().size(); k++) {
            assertArrayEquals(a.series().get(k).values(), b.series().get(k).values());
            assertArrayEquals(a.series().get(k).epochMillis(), b.series().get(k).epochMillis());
            assertFalse(Arrays.equals(a.series().get(k).values(), c.series().get(k).values()));
        }
        assertFalse(a.labels().equals(c.labels()));
    }

    @Test
    void everyTypeIsInjectedAndLabelledOnItsOwnKey() {
        GeneratedStreams s = defaults(1);
        assertEquals(7, s.series().size());
        Set<AnomalyType> seen = EnumSet.noneOf(AnomalyType.class);
        for (GeneratedSeries series : s.series()) {
            List<Label> windows = s.labels().stream().filter(l -> l.series().equals(series.key()) && l.isAnomaly()).toList();
            assertTrue(windows.size() >= 10, series.key() + ": one anomaly per ten days of 4000 hours");
            for (Label w : windows) {
                assertEquals(series.anomalyType().label(), w.type());
                assertEquals(series.epochMillis()[w.startRow()], w.startMillis(), "label rows and times agree");
                assertEquals(series.epochMillis()[w.endRow()], w.endMillis());
                assertTrue(w.startRow() >= 0.15 * 4000 - 1, "no anomaly in the quiet start");
            }
            seen.add(series.anomalyType());
            assertAnomaliesVisible(series, windows);
        }
        assertEquals(EnumSet.allOf(AnomalyType.class), seen);
    }

    /** What each type should look like in the data, in units of the series' own noise. */
    private static void assertAnomaliesVisible(GeneratedSeries series, List<Label> windows) {
        double[] x = series.values();
        double s = AnomalyInjector.noiseScale(x);
        for (Label w : windows) {
            int a = w.startRow();
            String where = series.key() + " row " + a;
            switch (series.anomalyType()) {
                // At least 4 units: well clear of the line between its neighbours.
                case SPIKE -> assertTrue(x[a] - (x[a - 1] + x[a + 1]) / 2 > 1.5 * s, where);
                case DIP -> assertTrue((x[a - 1] + x[a + 1]) / 2 - x[a] > 1.5 * s, where);
                case FLAT_LINE -> {
                    for (int t = a; t <= w.endRow(); t++) {
                        assertEquals(x[a - 1], x[t], where);
                    }
                }
                default -> assertTrue(w.magnitude() > 1, where + " magnitude " + w.magnitude());
            }
        }
    }

    @Test
    void dataProblemsArePresentLabelledAndClearOfAnomalies() {
        GeneratedStreams s = defaults(2);
        for (GeneratedSeries series : s.series()) {
            long[] t = series.epochMillis();
            Map<String, List<Label>> problems = s.labels().stream()
                    .filter(l -> l.series().equals(series.key()) && !l.isAnomaly())
                    .collect(Collectors.groupingBy(Label::type));
            assertEquals(Set.of("gap", "duplicate_timestamp", "backward_step"), problems.keySet(), series.key());
            Set<Integer> labelledRows = new HashSet<>();
            for (Label p : problems.get("gap")) {
                int row = p.startRow();
                assertEquals(p.endMillis() + HOUR, t[row], "the row after the gap");
                assertEquals(p.startMillis() - HOUR, t[row - 1], "the row before the gap");
                assertEquals(p.magnitude(), (t[row] - t[row - 1]) / HOUR - 1, "missing points");
                labelledRows.add(row);
            }
            for (Label p : problems.get("duplicate_timestamp")) {
                assertEquals(t[p.startRow() - 1], t[p.startRow()]);
                labelledRows.add(p.startRow());
            }
            for (Label p : problems.get("backward_step")) {
                assertEquals(t[p.startRow() - 1] - HOUR, t[p.startRow()]);
                labelledRows.add(p.startRow());
            }
            for (int row = 1; row < t.length; row++) {
                boolean irregular = t[row] - t[row - 1] != HOUR;
                // A late row steps back; the row before it jumps ahead, the row after it catches up.
                boolean partOfBackwardStep = labelledRows.contains(row + 1) && t[row + 1] < t[row]
                        || row >= 2 && t[row - 1] < t[row - 2];
                if (irregular && !partOfBackwardStep) {
                    assertTrue(labelledRows.contains(row), series.key() + " unlabelled irregular step at row " + row);
                }
            }
            for (Label w : s.labels()) {
                if (w.series().equals(series.key()) && w.isAnomaly()) {
                    for (int row : labelledRows) {
                        assertFalse(row >= w.startRow() - 2 && row <= w.endRow() + 24,
                                series.key() + ": data problem at " + row + " near " + w);
                    }
                }
            }
        }
    }

    @Test
    void seriesDifferInLevelNoiseAndShareDailyAndWeeklyCycles() {
        GeneratedStreams s = StreamGenerator.synthetic(GeneratorOptions.defaults(3).withKeys(12).withCounts(1, 0)
                .withPoints(24 * 7 * 8));
        double minMean = Double.MAX_VALUE;
        double maxMean = 0;
        for (GeneratedSeries series : s.series()) {
            double[] x = series.values();
            double mean = Arrays.stream(x).average().orElseThrow();
            minMean = Math.min(minMean, mean);
            maxMean = Math.max(maxMean, mean);
            assertTrue(lagCorrelation(x, 24) > lagCorrelation(x, 12), series.key() + ": a daily cycle");
        }
        assertTrue(maxMean / minMean > 10, "magnitudes differ by orders: " + minMean + " .. " + maxMean);
    }

    private static double lagCorrelation(double[] x, int lag) {
        double mean = Arrays.stream(x).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (int t = 0; t < x.length; t++) {
            den += (x[t] - mean) * (x[t] - mean);
            if (t >= lag) {
                num += (x[t] - mean) * (x[t - lag] - mean);
            }
        }
        return num / den;
    }

    @Test
    void aRealBaseKeepsItsTimesAndGetsOneCopyPerKey() {
        int n = 24 * 60;
        long[] times = new long[n];
        double[] values = new double[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1_467_331_200_000L + t * HOUR;
            values[t] = 30 + 5 * Math.sin(2 * Math.PI * t / 24) + Math.sin(t * 0.37);
        }
        BaseSeries base = new BaseSeries("ETTh1-OT", times, values);
        GeneratorOptions options = GeneratorOptions.defaults(4).withPoints(0);
        GeneratedStreams s = StreamGenerator.onBase(base, options);
        assertEquals(7, s.series().size());
        assertEquals("ETTh1-OT-00-spike", s.series().get(0).key());
        assertEquals(24, s.stepsPerDay());
        for (GeneratedSeries series : s.series()) {
            assertEquals(times[0], series.epochMillis()[0]);
            long anomalies = s.labels().stream().filter(l -> l.series().equals(series.key()) && l.isAnomaly()).count();
            assertEquals(5, anomalies, "one per ten days of the 51 after the quiet start");
        }
        assertFalse(Arrays.equals(s.series().get(0).values(), s.series().get(1).values()));

        long[] irregular = times.clone();
        irregular[10] += 1000;
        assertThrows(IllegalArgumentException.class,
                () -> StreamGenerator.onBase(new BaseSeries("x", irregular, values), options));
    }

    @Test
    void tooManyAnomaliesForThePointsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamGenerator.synthetic(GeneratorOptions.defaults(1).withCounts(100, -1)));
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GeneratorOptions(1, 100, 1,
                GeneratorOptions.DEFAULT_START, Duration.ofMinutes(7), List.of(AnomalyType.SPIKE), 0, -1, 0.1));
    }
}
