package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

class BacktestTest {

    @TempDir Path dir;

    /** A small hourly CSV in the ETT layout, with a daily cycle in its OT column. */
    static Path syntheticCsv(Path dir, int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("date,HUFL,OT");
        LocalDateTime t = LocalDateTime.of(2016, 7, 1, 0, 0);
        for (int i = 0; i < rows; i++) {
            double ot = 20 + 5 * Math.sin(2 * Math.PI * i / 24) + 0.01 * i + 0.5 * Math.sin(i * 0.37);
            lines.add(t.plusHours(i).toString().replace('T', ' ') + ":00," + (i % 7) + "," + ot);
        }
        Path csv = dir.resolve("synthetic.csv");
        Files.write(csv, lines);
        return csv;
    }

    @Test
    void readsTheTargetColumnAndInfersADailyPeriod() throws IOException {
        TimeSeries s = TimeSeries.readCsv(syntheticCsv(dir, 100), "date", "OT");
        assertEquals(100, s.length());
        assertEquals(3600, s.stepSeconds());
        assertEquals(24, s.stepsPerDay());
        assertEquals(20.0, s.values()[0], 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.readCsv(syntheticCsv(dir, 10), "date", "nope"));
    }

    /** What spreadsheets and loggers write: the reader either copes or names the file and line. */
    @Test
    void unusualCsvFilesAreReadOrRejectedWithTheirLine() throws IOException {
        Path bom = dir.resolve("bom.csv");
        Files.writeString(bom, "\uFEFFdate,OT\n2016-07-01 00:00:00,1.5\n2016-07-01 01:00:00,2.5\n");
        assertEquals(2.5, TimeSeries.readCsv(bom, "date", "OT").values()[1], 0);

        Path empty = dir.resolve("empty-cell.csv");
        Files.writeString(empty, "date,OT\n2016-07-01 00:00:00,1.5\n2016-07-01 01:00:00,\n");
        IOException e = assertThrows(IOException.class, () -> TimeSeries.readCsv(empty, "date", "OT"));
        assertTrue(e.getMessage().endsWith("empty-cell.csv line 3: '' is not a number"), e.getMessage());
        // The CLI prints the deepest cause; a NumberFormatException there would hide the line.
        assertNull(e.getCause());

        // Epoch milliseconds read as such; microseconds are refused, naming the line.
        Path millis = dir.resolve("millis.csv");
        Files.writeString(millis, "date,OT\n1467331200000,1.5\n1467334800000,2.5\n");
        assertEquals(3600, TimeSeries.readCsv(millis, "date", "OT").stepSeconds());
        Path micros = dir.resolve("micros.csv");
        Files.writeString(micros, "date,OT\n1467331200000000,1.5\n1467334800000000,2.5\n");
        e = assertThrows(IOException.class, () -> TimeSeries.readCsv(micros, "date", "OT"));
        assertTrue(e.getMessage().contains("line 2: unreadable time '1467331200000000' (integers in this column look like epoch microseconds"),
                e.getMessage());
        Path seconds = dir.resolve("seconds.csv");
        Files.writeString(seconds, "date,OT\n1467331200,1.5\n1467334800,2.5\n");
        assertEquals(3600, TimeSeries.readCsv(seconds, "date", "OT").stepSeconds());
    }

    @Test
    void aConstantSpanIsRefusedEvenWhenItsMeanDoesNotRoundExactly() {
        double[] x = new double[1800];
        java.util.Arrays.fill(x, 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZScore.of(x, new RowRange(0, 1800)));
        assertTrue(e.getMessage().contains("constant"), e.getMessage());
        double[] tiny = new double[100];
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] = 1e-9 * (5 + Math.sin(i));
        }
        assertEquals(5e-9, ZScore.of(tiny, new RowRange(0, 100)).mean(), 1e-10);
    }

    /** Forecasters that read times get, at every origin, the times of exactly the rows they get. */
    @Test
    void timesTravelWithTheirRows() throws IOException {
        int n = 400;
        double[] x = new double[n];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            times[i] = 1_000L * i * i;
        }
        Split split = new Split(new RowRange(0, 200), new RowRange(200, 300), new RowRange(300, 360));
        List<Integer> fitRows = new ArrayList<>();
        Forecaster timed = new Forecaster() {
            @Override
            public String name() {
                return "timed";
            }

            @Override
            public void fit(TrainingData data) {
                for (int i = 0; i < data.series().length; i++) {
                    assertEquals(1_000L * i * i, data.times()[i]);
                }
                fitRows.add(data.series().length);
            }

            @Override
            public double[] forecast(double[] history, int horizon) {
                throw new AssertionError("the backtest must pass the times");
            }

            @Override
            public double[] forecast(double[] history, long[] t, int horizon) {
                assertEquals(history.length, t.length);
                for (int i = 0; i < history.length; i++) {
                    long row = (long) history[i];
                    assertEquals(1_000L * row * row, t[i]);
                }
                return new double[horizon];
            }

            @Override
            public int lookback() {
                return 10;
            }
        };
        new Backtest(split, List.of(6), Backtest.Mode.ONLINE, 20).run(timed, x, times, null, null);
        assertEquals(List.of(300, 320, 340), fitRows);
        assertThrows(IllegalArgumentException.class,
                () -> new Backtest(split, List.of(6), Backtest.Mode.FROZEN, 1).run(timed, x, new long[3], null, null));
    }

    @Test
    void forecastsFileHasEveryOriginAndStepUpToTheTestEnd() throws IOException {
        TimeSeries s = TimeSeries.readCsv(syntheticCsv(dir, 400), "date", "OT");
        Split split = new Split(new RowRange(0, 200), new RowRange(200, 300), new RowRange(300, 360));
        int hMax = 24;
        Backtest backtest = new Backtest(split, List.of(6, hMax), Backtest.Mode.FROZEN, 1);
        Path out = dir.resolve("forecasts.csv");
        Backtest.Result result;
        try (ForecastsCsv sink = new ForecastsCsv(out)) {
            result = backtest.run(new NLinear(48, List.of(6, hMax)), s.values(), sink, null);
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(ForecastsCsv.HEADER, lines.get(0));
        List<String> expected = new ArrayList<>();
        for (int origin = 299; origin <= 358; origin++) {
            int steps = Math.min(hMax, 359 - origin);
            for (int k = 1; k <= steps; k++) {
                expected.add(origin + "," + k);
            }
        }
        List<String> keys = lines.subList(1, lines.size()).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
        assertEquals(expected, keys);
        // Origins whose whole horizon lies in the test rows: 299 .. 359-H.
        assertEquals((60 - 6 + 1) * 6L, result.byHorizon().get(6).count());
        assertEquals((60 - hMax + 1) * (long) hMax, result.byHorizon().get(hMax).count());
        double firstPrediction = Double.parseDouble(lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1));
        assertTrue(Math.abs(firstPrediction - s.values()[300]) < 2, "raw units: " + firstPrediction);
    }

    /**
     * Rows whose values were filled in are still history for forecasts but never scored targets,
     * and the z-score leaves them out: the metrics equal those computed by hand over the other rows,
     * even with an absurd value in a filled train row and a filled test row.
     */
    @Test
    void filledRowsAreNeitherScoredNorInTheZScore() throws IOException {
        double[] x = new double[200];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.sin(t * 0.3) + t * 0.01;
        }
        x[40] = 1e6;
        x[170] = -1e6;
        java.util.BitSet filled = new java.util.BitSet();
        filled.set(40);
        filled.set(170);
        filled.set(185);
        Split split = new Split(new RowRange(0, 100), new RowRange(100, 150), new RowRange(150, 200));
        int h = 5;
        Backtest.Result r = new Backtest(split, List.of(h), Backtest.Mode.FROZEN, 1, filled)
                .run(new Persistence(), x, null, null);

        ZScore z = ZScore.of(x, new RowRange(0, 100), filled);
        double mean = 0;
        for (int t = 0; t < 100; t++) {
            mean += t == 40 ? 0 : x[t];
        }
        assertEquals(mean / 99, z.mean(), 1e-12);
        long count = 0;
        double sse = 0;
        for (int origin = 149; origin + h <= 199; origin++) {
            for (int k = 1; k <= h; k++) {
                if (!filled.get(origin + k)) {
                    double e = z.normalise(x[origin]) - z.normalise(x[origin + k]);
                    sse += e * e;
                    count++;
                }
            }
        }
        assertEquals(count, r.byHorizon().get(h).count());
        assertEquals((200 - 149 - h) * (long) h - 2 * h, count);
        assertEquals(sse / count, r.byHorizon().get(h).mse(), 1e-12);
    }

    @Test
    void onlineModeRefitsOnWhatIsKnownAtTheOrigin() throws IOException {
        double[] x = new double[200];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.sin(t * 0.3) + t * 0.001;
        }
        Split split = new Split(new RowRange(0, 100), new RowRange(100, 150), new RowRange(150, 200));
        List<TrainingData> fits = new ArrayList<>();
        Forecaster spy = new Forecaster() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public void fit(TrainingData data) {
                fits.add(data);
            }

            @Override
            public double[] forecast(double[] history, int horizon) {
                return new Persistence().forecast(history, horizon);
            }

            @Override
            public int lookback() {
                return 1;
            }
        };
        Backtest.Result r = new Backtest(split, List.of(5), Backtest.Mode.ONLINE, 20).run(spy, x, null, null);
        // Origins 149..198: refits at 149, 169, 189.
        assertEquals(3, r.fits());
        assertEquals(List.of(150, 170, 190), fits.stream().map(d -> d.series().length).toList());
        assertEquals(new RowRange(0, 120), fits.get(1).train());
        assertEquals(new RowRange(120, 170), fits.get(1).val());
    }

    /**
     * A probabilistic forecaster's spreads are scored in the backtest's normalised units: a
     * random walk forecast by persistence with its true k-step spread (σ√k) is calibrated, with
     * half that spread it is not.
     */
    @Test
    void probabilisticForecastsAreCalibratedInNormalisedUnits() throws IOException {
        java.util.Random random = new java.util.Random(4);
        double[] x = new double[6000];
        for (int t = 1; t < x.length; t++) {
            x[t] = x[t - 1] + 3.0 * random.nextGaussian();
        }
        Split split = new Split(new RowRange(0, 2000), new RowRange(2000, 3000), new RowRange(3000, 6000));
        for (double factor : new double[] {1.0, 0.5}) {
            Forecaster walk = new Forecaster() {
                @Override
                public String name() {
                    return "walk";
                }

                @Override
                public void fit(TrainingData data) {}

                @Override
                public double[] forecast(double[] history, int horizon) {
                    return new Persistence().forecast(history, horizon);
                }

                @Override
                public double[] spreads(double[] history, int horizon) {
                    double[] sd = new double[horizon];
                    for (int k = 0; k < horizon; k++) {
                        sd[k] = factor * 3.0 * Math.sqrt(k + 1);
                    }
                    return sd;
                }

                @Override
                public int lookback() {
                    return 1;
                }
            };
            Backtest.Result r = new Backtest(split, List.of(1, 4), Backtest.Mode.FROZEN, 0).run(walk, x, null, null);
            assertTrue(r.probabilistic());
            double coverage = r.calibration().get(4).coverage();
            if (factor == 1.0) {
                assertEquals(0.80, coverage, 0.03);
                assertEquals(0.80, r.calibration().get(1).coverage(), 0.03);
            } else {
                assertTrue(coverage < 0.55, "half the spread covers " + coverage);
            }
        }
        assertTrue(!new Backtest(split, List.of(1), Backtest.Mode.FROZEN, 0).run(new Persistence(), x, null, null)
                .probabilistic());
    }
}
