package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EnsembleForecasterTest {

    /** A Gaussian forecaster with fixed means and sds, which records what it was given. */
    private static final class Fixed implements Forecaster {
        final double mean;
        final Double sd;
        final List<long[]> seenTimes = new ArrayList<>();
        int fits;

        Fixed(double mean, Double sd) {
            this.mean = mean;
            this.sd = sd;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public void fit(TrainingData data) {
            fits++;
        }

        @Override
        public double[] forecast(double[] history, int horizon) {
            return forecast(history, null, horizon);
        }

        @Override
        public double[] forecast(double[] history, long[] times, int horizon) {
            seenTimes.add(times);
            double[] f = new double[horizon];
            java.util.Arrays.fill(f, mean + history[history.length - 1]);
            return f;
        }

        @Override
        public double[] spreads(double[] history, long[] times, int horizon) {
            if (sd == null) {
                return null;
            }
            double[] s = new double[horizon];
            java.util.Arrays.fill(s, sd);
            return s;
        }

        @Override
        public int lookback() {
            return (int) mean + 1;
        }
    }

    @Test
    void averagesTheMembersAndMixesTheirSpreads() {
        Fixed a = new Fixed(1, 1.0);
        Fixed b = new Fixed(3, 2.0);
        EnsembleForecaster e = new EnsembleForecaster("e", List.of(a, b), 3);
        // Validation rows too short for a 3-step origin: nothing to calibrate on, the mixture stays raw.
        e.fit(new TrainingData(new double[10], new RowRange(0, 8), new RowRange(8, 10)));
        assertTrue(e.calibrationReport().isEmpty());
        assertEquals(1, a.fits);
        assertEquals(1, b.fits);
        double[] history = {7, 10};
        long[] times = {1L, 2L};
        assertArrayEquals(new double[] {12, 12, 12}, e.forecast(history, times, 3));
        // Mixture of N(11, 1) and N(13, 4): variance (1 + 4) / 2 + spread of the means (1) = 3.5.
        assertArrayEquals(new double[] {Math.sqrt(3.5), Math.sqrt(3.5)}, e.spreads(history, times, 2), 1e-12);
        assertEquals(times, a.seenTimes.get(0), "members get the times");
        assertEquals(4, e.lookback());
        assertNull(new EnsembleForecaster("p", List.of(a, new Fixed(0, null)), 2).spreads(history, times, 2),
                "a point member leaves the ensemble without spreads");
        assertThrows(IllegalArgumentException.class, () -> new EnsembleForecaster("none", List.of(), 1));
    }

    /**
     * Members sure of themselves (sd 1 each) on a noise series whose k-step changes have sd 2·√2:
     * the mixture is scaled up to cover 80 % of the validation origins, and of fresh test rows.
     */
    @Test
    void theMixturesSpreadsAreCalibratedOnTheValidationRows() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        double[] x = new double[4000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * random.nextGaussian();
        }
        EnsembleForecaster e = new EnsembleForecaster("e", List.of(new Fixed(0.1, 1.0), new Fixed(-0.1, 1.0)), 4);
        e.fit(new TrainingData(java.util.Arrays.copyOf(x, 2000), new RowRange(0, 1000), new RowRange(1000, 2000)));
        assertEquals(0.8, e.calibrationReport().get("val_cover80"), 0.03, e.calibrationReport().toString());
        assertTrue(e.calibrationReport().get("val_cover80_raw") < 0.5, e.calibrationReport().toString());
        // Raw mixture sd √(1 + 0.01) ≈ 1.005; the errors' sd 2√2 ≈ 2.83.
        for (int k = 0; k < 4; k++) {
            assertEquals(2.83, e.spreadCalibration().factor(k) * Math.sqrt(1.01), 0.35, "step " + (k + 1));
        }
        Calibration test = new Calibration();
        for (int origin = 2000; origin < 3990; origin++) {
            double[] history = {x[origin]};
            double[] mean = e.forecast(history, null, 4);
            double[] sd = e.spreads(history, null, 4);
            for (int k = 0; k < 4; k++) {
                test.add(mean[k], sd[k], x[origin + 1 + k]);
            }
        }
        assertEquals(0.8, test.coverage(), 0.04);
    }

    /** Two fits that err in opposite directions cancel: the ensemble beats both members. */
    @Test
    void anEnsembleOfOppositeErrorsBeatsItsMembers() throws java.io.IOException {
        int n = 300;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2;
        }
        Split split = new Split(new RowRange(0, 100), new RowRange(100, 200), new RowRange(200, 300));
        Backtest backtest = new Backtest(split, List.of(1), Backtest.Mode.FROZEN, 1);
        double high = backtest.run(new Fixed(0.5, null), x, null, null).meanMse();
        double low = backtest.run(new Fixed(-0.5, null), x, null, null).meanMse();
        double both = backtest.run(new EnsembleForecaster("e", List.of(new Fixed(0.5, null), new Fixed(-0.5, null)), 1),
                x, null, null).meanMse();
        assertEquals(high, low, 1e-12);
        assertTrue(both < high, both + " vs " + high);
    }
}
