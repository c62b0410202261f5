package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.features.InputFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

class RecurrentForecasterTest {

    private static double[] series(int n) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + Math.sin(t * 0.7);
        }
        return x;
    }

    /**
     * Rows filled in for missing cells are never labels. Rows 318..329 are validation labels and
     * nothing else here (no window reads them as inputs, the persistence base does not read them):
     * marked filled, whatever they hold leaves the fit, its report and its forecasts unchanged;
     * unmarked, the same change moves them. Filled rows among the train rows make NaN labels, which
     * the training loss leaves out: the fit stays finite.
     */
    @Test
    void filledRowsAreNeverLabels() {
        int n = 400;
        RowRange train = new RowRange(0, 240);
        RowRange val = new RowRange(240, 330);
        double[] x = series(n);
        double[] y = x.clone();
        for (int r = 318; r < 330; r++) {
            y[r] += 50 * Math.cos(r);
        }
        java.util.BitSet filled = new java.util.BitSet();
        filled.set(318, 330);
        filled.set(100, 110);
        double[] history = Arrays.copyOf(x, 360);
        for (HeadKind head : HeadKind.values()) {
            RecurrentForecaster a = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 30, head);
            a.fit(new TrainingData(Arrays.copyOf(x, 330), null, train, val, filled));
            RecurrentForecaster b = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 30, head);
            b.fit(new TrainingData(Arrays.copyOf(y, 330), null, train, val, filled));
            assertEquals(a.fitReport(), b.fitReport(), head.toString());
            assertArrayEquals(a.forecast(history, 12), b.forecast(history, 12), 0, head.toString());
            assertTrue(a.fitReport().values().stream().allMatch(Double::isFinite), a.fitReport().toString());
            assertTrue(Arrays.stream(a.forecast(history, 12)).allMatch(Double::isFinite));

            java.util.BitSet trainOnly = new java.util.BitSet();
            trainOnly.set(100, 110);
            RecurrentForecaster c = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 30, head);
            c.fit(new TrainingData(Arrays.copyOf(y, 330), null, train, val, trainOnly));
            assertNotEquals(a.fitReport(), c.fitReport(), "unmarked, the changed rows are labels again");
        }
        // Nothing observed to validate on is an error, not a silent fall-back to the base.
        java.util.BitSet outage = new java.util.BitSet();
        outage.set(240, 330);
        RecurrentForecaster blind = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 30, HeadKind.POINT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blind.fit(new TrainingData(Arrays.copyOf(x, 330), null, train, val, outage)));
        assertTrue(e.getMessage().contains("was filled in for a missing value"), e.getMessage());
    }

    private static RecurrentForecaster small(RecurrentForecaster.Base base, int iterations) {
        return small(CellType.LSTM, false, base, iterations);
    }

    /** A network of 8 units on windows of 24, quick to train; factors shrunk but not damped. */
    private static RecurrentForecaster.Options.Builder smallOptions(RecurrentForecaster.Base base) {
        return RecurrentForecaster.Options.builder(base, 3).hiddenSize(8).window(24).tbpttLength(24).batchSize(8)
                .evalEvery(5).patience(2).learningRate(1e-2).nlinearLookback(24).shrinkUncertainty(false);
    }

    private static RecurrentForecaster small(CellType cell, boolean identity, RecurrentForecaster.Base base,
            int iterations) {
        return small(cell, identity, base, iterations, HeadKind.POINT);
    }

    private static RecurrentForecaster small(CellType cell, boolean identity, RecurrentForecaster.Base base,
            int iterations, HeadKind head) {
        RecurrentForecaster.Options o = smallOptions(base).cell(cell).identityInit(identity)
                .maxIterations(iterations).head(head).build();
        return new RecurrentForecaster(cell.name().toLowerCase(), o, List.of(4, 12));
    }

    /**
     * A Gaussian head starts at its base with a spread of one train std per step (log-sd 0), trains
     * reproducibly on its likelihood, and ends with spreads that grow with the horizon, as the
     * errors of a persistence base on a sine do.
     */
    /**
     * The builder starts from the documented defaults (spelt out here by position, so a changed
     * default fails), copies every field through {@code toBuilder}, and leaves the record's checks
     * to {@code build}.
     */
    @Test
    void optionsBuilderStartsFromTheDefaultsAndCopiesEveryField() {
        RecurrentForecaster.Options defaults = RecurrentForecaster.Options.defaults(RecurrentForecaster.Base.NLINEAR, 7);
        assertEquals(new RecurrentForecaster.Options(CellType.LSTM, false, RecurrentForecaster.Base.NLINEAR, 64, 1,
                48, 48, 0, 32, 400, 50, 4, 1e-3, 1.0, 336, 7, HeadKind.POINT, InputFeatures.VALUE_ONLY,
                RecurrentForecaster.DEFAULT_BASE_BLOCK, true, 0, true, true), defaults);
        RecurrentForecaster.Options all = new RecurrentForecaster.Options(CellType.RNN, true,
                RecurrentForecaster.Base.PERSISTENCE, 9, 2, 30, 10, 4, 5, 11, 3, 6, 0.5, 2.0, 40, 8, HeadKind.GAUSSIAN,
                InputFeatures.parse("hour_of_day", "UTC"), 0, false, 12, false, false);
        assertEquals(all, all.toBuilder().build());
        assertEquals(all, RecurrentForecaster.Options.builder(RecurrentForecaster.Base.NLINEAR, 1).cell(CellType.RNN)
                .identityInit(true).base(RecurrentForecaster.Base.PERSISTENCE).hiddenSize(9).layers(2).window(30)
                .tbpttLength(10).tbpttBackLength(4).batchSize(5).maxIterations(11).evalEvery(3).patience(6).learningRate(0.5)
                .clipNorm(2.0).nlinearLookback(40).seed(8).head(HeadKind.GAUSSIAN)
                .features(InputFeatures.parse("hour_of_day", "UTC")).baseBlock(0).shrink(false).localScale(12)
                .shrinkUncertainty(false).validatedBaseRidge(false).build());
        assertEquals(10, defaults.withShape(16, 10).tbpttLength());
        assertEquals(6, defaults.withTbptt(24, 12).withShape(16, 6).tbpttBackLength(), "clamped to the segment");
        assertThrows(IllegalArgumentException.class, () -> defaults.withTbptt(24, 25));
        assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder().identityInit(true).build());
    }

    @Test
    void aGaussianHeadForecastsSpreadsThatTrainOnTheLikelihood() {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        double[] history = Arrays.copyOf(x, 320);
        double std = ZScore.of(x, new RowRange(0, 200)).std();
        RecurrentForecaster untrained = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 0, HeadKind.GAUSSIAN);
        untrained.fit(data);
        assertArrayEquals(new Persistence().forecast(history, 12), untrained.forecast(history, 12), 1e-9);
        // One train std per step, times the factors calibrated on the validation origins.
        double[] flat = new double[12];
        for (int k = 0; k < 12; k++) {
            flat[k] = std * untrained.spreadCalibration().factor(k);
        }
        assertArrayEquals(flat, untrained.spreads(history, 12), 1e-6 * std);
        // Persistence of a sine: one train std is too wide one step ahead and too narrow 12 steps ahead.
        assertTrue(untrained.spreadCalibration().factor(0) < 1 && untrained.spreadCalibration().factor(11) > 1,
                untrained.spreadCalibration().toString());

        RecurrentForecaster a = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 60, HeadKind.GAUSSIAN);
        RecurrentForecaster b = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 60, HeadKind.GAUSSIAN);
        a.fit(data);
        b.fit(data);
        assertArrayEquals(a.forecast(history, 12), b.forecast(history, 12));
        assertArrayEquals(a.spreads(history, 12), b.spreads(history, 12));
        assertTrue(a.fitReport().get("val_nll") < a.fitReport().get("val_nll_base"), a.fitReport().toString());
        double[] sd = a.spreads(history, 12);
        assertEquals(4, a.spreads(history, 4).length);
        assertTrue(sd[11] > sd[0], "the 12-step spread exceeds the 1-step one: " + Arrays.toString(sd));
        assertTrue(sd[0] < 0.7 * std, "one step ahead is far surer than the series' spread: " + sd[0] + " vs " + std);
        RecurrentForecaster point = small(RecurrentForecaster.Base.PERSISTENCE, 0);
        point.fit(data);
        assertEquals(null, point.spreads(history, 4), "a point head has no spreads");
    }

    /**
     * A Gaussian head trained on noisy months and used on calm ones (noise sd 1 in the train rows,
     * 0.3 from the validation rows on) predicts spreads far too wide: its raw p10–p90 covers nearly
     * every test value. Calibrated on the validation origins, the same forecasts' intervals cover
     * about 80 % of the held-out test values, and the means do not change.
     */
    @Test
    void calibrationOnValidationBringsAnOverWideHeadToEightyPercentOnTest() {
        java.util.Random random = new java.util.Random(5);
        double[] x = new double[1400];
        for (int t = 0; t < x.length; t++) {
            x[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + (t < 600 ? 1.0 : 0.3) * random.nextGaussian();
        }
        TrainingData data = new TrainingData(Arrays.copyOf(x, 1000), new RowRange(0, 600), new RowRange(600, 1000));
        RecurrentForecaster f = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 60, HeadKind.GAUSSIAN);
        f.fit(data);
        Calibration raw = new Calibration();
        Calibration calibrated = new Calibration();
        for (int origin = 999; origin + 12 < x.length; origin++) {
            double[] history = Arrays.copyOf(x, origin + 1);
            double[] means = f.forecast(history, 12);
            double[] sd = f.spreads(history, 12);
            for (int k = 0; k < 12; k++) {
                raw.add(means[k], sd[k] / f.spreadCalibration().factor(k), x[origin + 1 + k]);
                calibrated.add(means[k], sd[k], x[origin + 1 + k]);
            }
        }
        System.out.printf("test p10-p90 coverage raw %.3f, calibrated %.3f; CRPS %.4f -> %.4f; NLL %.3f -> %.3f; %s%n",
                raw.coverage(), calibrated.coverage(), raw.crps(), calibrated.crps(), raw.nll(), calibrated.nll(),
                f.fitReport());
        assertTrue(raw.coverage() > 0.93, "the raw spreads are over-wide: " + raw.coverage());
        assertEquals(0.80, calibrated.coverage(), 0.06);
        assertEquals(0.80, f.fitReport().get("val_cover80"), 0.03);
        assertTrue(calibrated.crps() < raw.crps(), "narrower, right-sized spreads score a lower CRPS");
        for (int k = 0; k < 12; k++) {
            assertTrue(f.spreadCalibration().factor(k) < 0.8, "step " + (k + 1) + " shrinks: " + f.spreadCalibration());
        }
    }

    /**
     * With calendar features the network reads each row's time: fitting and forecasting need the
     * times, and the same values at other hours give another forecast.
     */
    @Test
    void calendarFeaturesReadTheRowsTimes() {
        double[] x = series(400);
        long[] times = new long[x.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_704_067_200_000L + i * 3_600_000L;
        }
        RecurrentForecaster.Options o = smallOptions(RecurrentForecaster.Base.PERSISTENCE).cell(CellType.GRU)
                .maxIterations(30).features(InputFeatures.parse("hour_of_day,day_of_week", "UTC")).build();
        RecurrentForecaster f = new RecurrentForecaster("gru", o, List.of(4, 12));
        TrainingData untimed = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        assertThrows(IllegalArgumentException.class, () -> f.fit(untimed));
        f.fit(new TrainingData(Arrays.copyOf(x, 300), Arrays.copyOf(times, 300), new RowRange(0, 200),
                new RowRange(200, 300)));
        double[] history = Arrays.copyOfRange(x, 296, 320);
        long[] at = Arrays.copyOfRange(times, 296, 320);
        double[] forecast = f.forecast(history, at, 12);
        assertArrayEquals(forecast, f.forecast(history.clone(), at.clone(), 12));
        long[] later = Arrays.stream(at).map(t -> t + 5 * 3_600_000L).toArray();
        assertTrue(Math.abs(forecast[0] - f.forecast(history, later, 12)[0]) > 1e-9, "the hour must matter");
        assertThrows(IllegalArgumentException.class, () -> f.forecast(history, 12));
    }

    @Test
    void untrainedNetworkIsExactlyItsBase() {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        RecurrentForecaster lstm = small(RecurrentForecaster.Base.PERSISTENCE, 0);
        lstm.fit(data);
        double[] history = Arrays.copyOf(x, 320);
        assertArrayEquals(new Persistence().forecast(history, 12), lstm.forecast(history, 12), 1e-9);
    }

    @Test
    void anNlinearBaseComesInBlocksUnlessTheBlockIsZero() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        double[] x = series(400);
        for (int t = 0; t < x.length; t++) {
            x[t] += random.nextGaussian();
        }
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        double[] history = Arrays.copyOf(x, 330);
        RecurrentForecaster.Options untrained = RecurrentForecaster.Options.defaults(RecurrentForecaster.Base.NLINEAR, 3)
                .withShape(8, 24).withMaxIterations(0).withNlinearLookback(24);

        RecurrentForecaster blocks = new RecurrentForecaster("lstm-nlinear", untrained.withBaseBlock(4), List.of(4, 12));
        blocks.fit(data);
        NLinear stepwise = NLinear.stepwise(24, 12, 4).withValidatedRidge();
        stepwise.fit(data);
        assertArrayEquals(stepwise.forecast(history, 12), blocks.forecast(history, 12), 1e-9);
        assertEquals(stepwise.ridges().values().stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                blocks.fitReport().get("base_ridge_min"));
        assertEquals(stepwise.ridges().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                blocks.fitReport().get("base_ridge_max"));

        // Without validation the base is the baseline's least squares, block by block.
        RecurrentForecaster plainBlocks = new RecurrentForecaster("lstm-nlinear",
                untrained.withBaseBlock(4).withValidatedBaseRidge(false), List.of(4, 12));
        plainBlocks.fit(data);
        NLinear plainStepwise = NLinear.stepwise(24, 12, 4);
        plainStepwise.fit(data);
        assertArrayEquals(plainStepwise.forecast(history, 12), plainBlocks.forecast(history, 12), 1e-9);
        assertTrue(!plainBlocks.fitReport().containsKey("base_ridge_min"));

        // A scored horizon inside a block ends a block of the base too.
        RecurrentForecaster atSix = new RecurrentForecaster("lstm-nlinear", untrained.withBaseBlock(4), List.of(6, 12));
        atSix.fit(data);
        NLinear sixEnds = NLinear.stepwise(24, 12, 4, List.of(6, 12)).withValidatedRidge();
        sixEnds.fit(data);
        assertArrayEquals(sixEnds.forecast(history, 12), atSix.forecast(history, 12), 1e-9);

        RecurrentForecaster single = new RecurrentForecaster("lstm-nlinear", untrained.withBaseBlock(0), List.of(4, 12));
        single.fit(data);
        NLinear twelve = new NLinear(24, List.of(12)).withValidatedRidge();
        twelve.fit(data);
        assertArrayEquals(twelve.forecast(history, 12), single.forecast(history, 12), 1e-9);
        assertTrue(Math.abs(blocks.forecast(history, 1)[0] - single.forecast(history, 1)[0]) > 1e-6,
                "the first block is fitted on more windows than the 12-step model");
        assertThrows(IllegalArgumentException.class, () -> untrained.withBaseBlock(-1));
    }

    @ParameterizedTest(name = "{0}, identity init {1}")
    @CsvSource({"GRU, false", "RNN, false", "RNN, true"})
    void everyCellStartsAtItsBaseAndTrainsReproducibly(CellType cell, boolean identity) {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        double[] history = Arrays.copyOf(x, 320);
        RecurrentForecaster untrained = small(cell, identity, RecurrentForecaster.Base.PERSISTENCE, 0);
        untrained.fit(data);
        assertArrayEquals(new Persistence().forecast(history, 12), untrained.forecast(history, 12), 1e-9);

        RecurrentForecaster a = small(cell, identity, RecurrentForecaster.Base.PERSISTENCE, 10);
        RecurrentForecaster b = small(cell, identity, RecurrentForecaster.Base.PERSISTENCE, 10);
        a.fit(data);
        b.fit(data);
        assertArrayEquals(a.forecast(history, 12), b.forecast(history, 12));
        assertTrue(a.fitReport().get("val_mse") <= a.fitReport().get("val_mse_base"), a.fitReport().toString());
    }

    /**
     * With the local scale on, the network reads changes in units of the recent volatility and its
     * correction is paid out in them: a history squeezed about its last value by a factor gives
     * the same network inputs, so the forecast's distance from that value shrinks by the same
     * factor. Persistence base, so that the distance is the network's correction alone.
     */
    @Test
    void aLocalScaleMakesTheCorrectionFollowTheHistorysVolatility() {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        RecurrentForecaster f = new RecurrentForecaster("lstm",
                small(RecurrentForecaster.Base.PERSISTENCE, 60).options().withShrink(false).withLocalScale(48),
                List.of(4, 12));
        assertEquals(24 + 48, f.lookback());
        f.fit(data);
        double[] history = Arrays.copyOfRange(x, 320 - f.lookback(), 320);
        double last = history[history.length - 1];
        double[] forecast = f.forecast(history, 12);
        double factor = 0.3;
        double[] squeezed = new double[history.length];
        for (int i = 0; i < history.length; i++) {
            squeezed[i] = last + factor * (history[i] - last);
        }
        double[] small = f.forecast(squeezed, 12);
        double largest = 0;
        for (int k = 0; k < 12; k++) {
            largest = Math.max(largest, Math.abs(forecast[k] - last));
            assertEquals(factor * (forecast[k] - last), small[k] - last, 1e-5 * Math.abs(forecast[k] - last) + 1e-9,
                    "step " + (k + 1));
        }
        assertTrue(largest > 1e-3, "the trained network corrects persistence, by up to " + largest);
    }

    @Test
    void identityInitialisationIsForRnnCellsOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> RecurrentForecaster.Options.defaults(RecurrentForecaster.Base.PERSISTENCE, 1).withCell(CellType.GRU, true));
    }

    @Test
    void trainingIsSeededAndKeepsTheBestValidationScore() {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        RecurrentForecaster a = small(RecurrentForecaster.Base.NLINEAR, 20);
        RecurrentForecaster b = small(RecurrentForecaster.Base.NLINEAR, 20);
        a.fit(data);
        b.fit(data);
        double[] history = Arrays.copyOf(x, 330);
        assertArrayEquals(a.forecast(history, 12), b.forecast(history, 12));
        assertEquals(4, a.forecast(history, 4).length);
        assertTrue(a.fitReport().get("val_mse") <= a.fitReport().get("val_mse_base"), a.fitReport().toString());
        assertThrows(IllegalArgumentException.class, () -> a.forecast(history, 13));
    }

    /**
     * Shrinking is fitted on the validation origins, so it can only lower their error, and the
     * forecasts change exactly when some factor is below 1.
     */
    @Test
    void shrinkingTheCorrectionNeverRaisesTheValidationErrorAndIsOptional() {
        double[] x = series(400);
        for (int i = 0; i < x.length; i++) {
            // Noise the network cannot predict, so that its correction is partly fitted to noise.
            x[i] += 0.8 * Math.sin(i * i * 0.37);
        }
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        double[] history = Arrays.copyOf(x, 330);
        RecurrentForecaster shrunk = small(CellType.GRU, false, RecurrentForecaster.Base.NLINEAR, 30);
        shrunk.fit(data);
        java.util.Map<String, Double> report = shrunk.fitReport();
        assertTrue(report.get("val_mse_shrunk") <= report.get("val_mse") + 1e-12, report.toString());
        assertTrue(report.get("shrink_min") >= 0 && report.get("shrink_mean") <= 1, report.toString());

        RecurrentForecaster whole = new RecurrentForecaster("gru",
                shrunk.options().withShrink(false), List.of(4, 12));
        whole.fit(data);
        assertTrue(!whole.fitReport().containsKey("shrink_min"), whole.fitReport().toString());
        assertEquals(whole.fitReport().get("val_mse"), report.get("val_mse"), "the same network is selected");
        boolean anyShrunk = report.get("shrink_min") < 1;
        assertEquals(anyShrunk, !Arrays.equals(whole.forecast(history, 12), shrunk.forecast(history, 12)),
                report.toString());
    }
}
