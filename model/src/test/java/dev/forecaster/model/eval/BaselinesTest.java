package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class BaselinesTest {

    private static final Split SPLIT =
            new Split(new RowRange(0, 600), new RowRange(600, 800), new RowRange(800, 1000));

    @Test
    void seasonalNaiveHasZeroErrorOnAPeriodicSeries() throws Exception {
        int period = 24;
        double[] x = new double[1000];
        for (int t = 0; t < x.length; t++) {
            x[t] = 10 + Math.sin(2 * Math.PI * t / period) + 0.3 * Math.cos(6 * Math.PI * t / period);
        }
        Backtest.Result r = new Backtest(SPLIT, List.of(1, 24, 60), Backtest.Mode.FROZEN, 1)
                .run(new SeasonalNaive(period), x, null, null);
        for (int h : List.of(1, 24, 60)) {
            assertEquals(0.0, r.byHorizon().get(h).mse(), 1e-20, "H=" + h);
            assertEquals(200 - h + 1, r.byHorizon().get(h).count() / h, "origins for H=" + h);
        }
    }

    @Test
    void seasonalNaiveRepeatsTheLastPeriod() {
        double[] history = {0, 1, 2, 3, 4, 5};
        assertArrayEquals(new double[] {3, 4, 5, 3, 4, 5, 3}, new SeasonalNaive(3).forecast(history, 7));
    }

    @Test
    void persistenceRepeatsTheLastValue() {
        assertArrayEquals(new double[] {7, 7, 7}, new Persistence().forecast(new double[] {1, 7}, 3));
    }

    @Test
    void nlinearRecoversAnExactLinearProcess() {
        // A trend plus two sinusoids obeys a linear recursion whose coefficients sum to 1, so each
        // future value is exactly linear in the last values taken relative to the last one.
        int n = 1000;
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 3 + 0.01 * t + Math.sin(0.3 * t) + 0.5 * Math.sin(0.11 * t + 1);
        }
        NLinear model = new NLinear(8, List.of(1, 5), 1e-10);
        model.fit(new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val()));
        for (int origin = 820; origin < 990; origin += 17) {
            double[] history = java.util.Arrays.copyOfRange(x, origin - 7, origin + 1);
            double[] f = model.forecast(history, 5);
            for (int k = 0; k < 5; k++) {
                assertEquals(x[origin + 1 + k], f[k], 1e-6 * (1 + Math.abs(x[origin + 1 + k])),
                        "origin " + origin + " step " + (k + 1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> model.forecast(new double[8], 6));
    }

    @Test
    void stepwiseNlinearTakesEachBlockFromTheModelFittedUpToItsEnd() {
        // A noisy series: every block's coefficients differ from those of the longer models.
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[] x = new double[1000];
        for (int t = 1; t < x.length; t++) {
            x[t] = 0.9 * x[t - 1] + Math.sin(0.2 * t) + random.nextGaussian();
        }
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val());
        NLinear stepwise = NLinear.stepwise(16, 10, 4);
        stepwise.fit(data);
        NLinear[] blocks = {new NLinear(16, List.of(4)), new NLinear(16, List.of(8)), new NLinear(16, List.of(10))};
        for (NLinear block : blocks) {
            block.fit(data);
        }
        NLinear longest = blocks[2];
        boolean differs = false;
        for (int origin = 820; origin < 990; origin += 13) {
            double[] history = java.util.Arrays.copyOfRange(x, 0, origin + 1);
            double[] f = stepwise.forecast(history, 10);
            for (int k = 0; k < 10; k++) {
                NLinear owner = blocks[k < 4 ? 0 : k < 8 ? 1 : 2];
                assertEquals(owner.forecast(history, owner == blocks[0] ? 4 : owner == blocks[1] ? 8 : 10)[k], f[k],
                        "origin " + origin + " step " + (k + 1));
                differs |= Math.abs(longest.forecast(history, 10)[k] - f[k]) > 1e-6;
            }
            // A shorter horizon is the same steps, cut.
            assertArrayEquals(java.util.Arrays.copyOf(f, 6), stepwise.forecast(history, 6));
        }
        assertEquals(true, differs, "the first blocks should differ from the 10-step model's first steps");
        assertThrows(IllegalArgumentException.class, () -> stepwise.forecast(new double[20], 11));
        assertThrows(IllegalArgumentException.class, () -> NLinear.stepwise(16, 10, 0));
    }

    /** A block also ends at each horizon asked for, so H's last steps are fitted as NLinear's own H-step model. */
    @Test
    void stepwiseNlinearAlsoEndsABlockAtEachScoredHorizon() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        double[] x = new double[1000];
        for (int t = 1; t < x.length; t++) {
            x[t] = 0.9 * x[t - 1] + Math.sin(0.2 * t) + random.nextGaussian();
        }
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val());
        NLinear aligned = NLinear.stepwise(16, 10, 4, List.of(6, 0, 11));
        aligned.fit(data);
        NLinear plain = NLinear.stepwise(16, 10, 4);
        plain.fit(data);
        NLinear six = new NLinear(16, List.of(6));
        six.fit(data);
        NLinear eight = new NLinear(16, List.of(8));
        eight.fit(data);
        double[] history = java.util.Arrays.copyOfRange(x, 0, 901);
        double[] f = aligned.forecast(history, 10);
        double[] p = plain.forecast(history, 10);
        for (int k = 0; k < 10; k++) {
            if (k < 4 || k >= 8) {
                assertEquals(p[k], f[k], 0, "steps outside the new block keep their blocks, step " + (k + 1));
            } else if (k < 6) {
                assertEquals(six.forecast(history, 6)[k], f[k], 0, "step " + (k + 1) + " from the 6-step model");
            } else {
                assertEquals(eight.forecast(history, 8)[k], f[k], 0, "step " + (k + 1) + " from the 8-step model");
            }
        }
        assertTrue(Math.abs(f[4] - p[4]) > 1e-9, "steps 5-6 were the 8-step model's");
    }

    @Test
    void nlinearForecastsTheSameInAnyUnit() {
        // Fitted in a unit s times larger, the forecasts must be s times larger: real series come
        // in kW or MW, dollars or cents. Before the bias went unpenalised, s = 1e-6 gave persistence.
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        double[] x = new double[1000];
        for (int t = 1; t < x.length; t++) {
            x[t] = 0.95 * x[t - 1] + Math.sin(0.26 * t) + 0.05 + 0.3 * random.nextGaussian();
        }
        NLinear reference = new NLinear(24, List.of(6));
        reference.fit(new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val()));
        for (double s : new double[] {1e-9, 1e-6, 1e-3, 1e3, 1e6, 1e9}) {
            double[] y = new double[x.length];
            for (int t = 0; t < x.length; t++) {
                y[t] = s * x[t];
            }
            NLinear scaled = new NLinear(24, List.of(6));
            scaled.fit(new TrainingData(java.util.Arrays.copyOf(y, 800), SPLIT.train(), SPLIT.val()));
            for (int origin = 820; origin < 990; origin += 23) {
                double[] expected = reference.forecast(java.util.Arrays.copyOf(x, origin + 1), 6);
                double[] actual = scaled.forecast(java.util.Arrays.copyOf(y, origin + 1), 6);
                for (int k = 0; k < 6; k++) {
                    assertEquals(expected[k], actual[k] / s, 1e-7 * (1 + Math.abs(expected[k])),
                            "scale " + s + " origin " + origin + " step " + (k + 1));
                }
            }
        }
    }

    @Test
    void nlinearRefusesALookbackLongerThanItsTrainRowsBeforeAllocating() {
        double[] x = new double[1000];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.sin(0.1 * t);
        }
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val());
        // 50,000 inputs: a Gram matrix of (lookback + 1)² doubles would overflow an int's size.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NLinear(50_000, List.of(24)).fit(data));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("hold no window of 50000 inputs"), e.getMessage());
    }

    /**
     * The validated ridge is the grid's penalty whose plain fit has the smallest squared error on
     * the validation origins (filled labels left out), chosen per horizon, and the forecasts are
     * the average of that fit's and the default ridge's (the hedge against a pick that validation
     * months do not carry to later ones). A random walk with 190 train windows for 101 weights
     * wants a strong penalty.
     */
    @Test
    void validatedRidgeIsTheGridPointThatForecastsTheValidationRowsBest() {
        double[] x = randomWalk(1000, 6);
        RowRange train = new RowRange(0, 300);
        RowRange val = new RowRange(300, 500);
        java.util.BitSet filled = new java.util.BitSet();
        filled.set(350, 360);
        filled.set(470);
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(x, 500), null, train, val, filled);
        int lookback = 100;
        List<Integer> horizons = List.of(3, 10);
        NLinear validated = new NLinear(lookback, horizons).withValidatedRidge();
        validated.fit(data);
        for (int h : horizons) {
            double bestRidge = Double.NaN;
            double best = Double.POSITIVE_INFINITY;
            NLinear bestFit = null;
            for (double r : NLinear.VALIDATED_RIDGES) {
                NLinear plain = new NLinear(lookback, List.of(h), r);
                plain.fit(data);
                double sse = 0;
                for (int t = val.start() - 1; t + h < val.end(); t++) {
                    double[] f = plain.forecast(java.util.Arrays.copyOf(x, t + 1), h);
                    for (int k = 0; k < h; k++) {
                        if (!filled.get(t + 1 + k)) {
                            sse += (f[k] - x[t + 1 + k]) * (f[k] - x[t + 1 + k]);
                        }
                    }
                }
                if (sse < best) {
                    best = sse;
                    bestRidge = r;
                    bestFit = plain;
                }
            }
            assertEquals(bestRidge, validated.ridges().get(h), "H=" + h);
            assertTrue(bestRidge > NLinear.DEFAULT_RIDGE, "a random walk on few windows wants more than the default, H=" + h);
            NLinear leastSquares = new NLinear(lookback, List.of(h));
            leastSquares.fit(data);
            double apart = 0;
            for (int origin = 520; origin < 990; origin += 37) {
                double[] history = java.util.Arrays.copyOf(x, origin + 1);
                double[] picked = bestFit.forecast(history, h);
                double[] plain = leastSquares.forecast(history, h);
                double[] expected = new double[h];
                for (int k = 0; k < h; k++) {
                    expected[k] = 0.5 * (picked[k] + plain[k]);
                }
                assertArrayEquals(expected, validated.forecast(history, h), 1e-9, "origin " + origin);
                apart = Math.max(apart, Math.abs(picked[h - 1] - plain[h - 1]));
            }
            assertTrue(apart > 1e-2, "the two fits differ, so the average is no accident: " + apart);
        }
        assertEquals("nlinear-base", validated.named("nlinear-base").name());
    }

    /** Where the lags carry the whole signal, validation keeps the least-squares fit's tiny ridge. */
    @Test
    void validatedRidgeKeepsTheDefaultOnAnExactLinearProcess() {
        double[] x = new double[1000];
        for (int t = 0; t < x.length; t++) {
            x[t] = 3 + 0.01 * t + Math.sin(0.3 * t) + 0.5 * Math.sin(0.11 * t + 1);
        }
        NLinear stepwise = NLinear.stepwise(8, 10, 4).withValidatedRidge();
        stepwise.fit(new TrainingData(java.util.Arrays.copyOf(x, 800), SPLIT.train(), SPLIT.val()));
        assertEquals(java.util.Map.of(4, NLinear.DEFAULT_RIDGE, 8, NLinear.DEFAULT_RIDGE, 10, NLinear.DEFAULT_RIDGE),
                stepwise.ridges(), "one ridge per block");
    }

    /** Validation rows too short for a horizon leave that model at the default ridge. */
    @Test
    void validatedRidgeWithoutValidationOriginsKeepsTheDefault() {
        double[] x = randomWalk(1000, 7);
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(x, 305), new RowRange(0, 300), new RowRange(300, 305));
        NLinear validated = new NLinear(100, List.of(3, 10)).withValidatedRidge();
        validated.fit(data);
        assertEquals(NLinear.DEFAULT_RIDGE, validated.ridges().get(10), "no origin with 10 labels in 5 rows");
        NLinear plain = new NLinear(100, List.of(10));
        plain.fit(data);
        double[] history = java.util.Arrays.copyOf(x, 700);
        assertArrayEquals(plain.forecast(history, 10), validated.forecast(history, 10));
    }

    private static double[] randomWalk(int n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] x = new double[n];
        for (int t = 1; t < n; t++) {
            x[t] = x[t - 1] + random.nextGaussian();
        }
        return x;
    }
}
