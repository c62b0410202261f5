package dev.forecaster.model.interpolation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.CellType;
import dev.forecaster.model.anomaly.AnomalyScorer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.Stream;

class InterpolationModelTest {

    /** Small enough to run in a second per case; the window is shorter than the series, so rows span windows. */
    private static InterpolationOptions small(CellType cell, int layers) {
        return InterpolationOptions.defaults().withCell(cell).withShape(4, layers).withTraining(20, 12);
    }

    private static double[] series(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 12) + 0.5 * r.nextGaussian();
        }
        return x;
    }

    static Stream<Arguments> cells() {
        return Stream.of(CellType.values()).flatMap(c -> Stream.of(Arguments.of(c, 1), Arguments.of(c, 2)));
    }

    /**
     * Moving x_t by a lot leaves estimate t exactly as it was, and moves the estimates of t-1 and
     * t+1: the network reads both neighbours but never the value it estimates. Checked at every
     * row, the first and last included, so window edges and the overlaps between windows are covered.
     */
    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cells")
    void estimateAtTReadsBothNeighboursButNeverXt(CellType cell, int layers) {
        double[] x = series(28, 3);
        InterpolationModel model = InterpolationModel.initial(x, small(cell, layers), 11);
        double[] base = model.estimate(x);
        for (int t = 0; t < x.length; t++) {
            double[] moved = x.clone();
            moved[t] += 8.0;
            double[] e = model.estimate(moved);
            assertEquals(base[t], e[t], 0.0, cell + " estimate " + t + " read x_" + t);
            if (t > 0) {
                assertTrue(Math.abs(e[t - 1] - base[t - 1]) > 1e-5,
                        cell + " estimate " + (t - 1) + " did not read the next value x_" + t);
            }
            if (t + 1 < x.length) {
                assertTrue(Math.abs(e[t + 1] - base[t + 1]) > 1e-5,
                        cell + " estimate " + (t + 1) + " did not read the previous value x_" + t);
            }
        }
    }

    /** The same property after training, where a leak would be learnt as the identity. */
    @Test
    void trainedModelStillNeverReadsXt() {
        double[] x = series(120, 5);
        InterpolationModel model = InterpolationModel.train(x, small(CellType.LSTM, 2), 13);
        assertTrue(model.training().iterations() > 0);
        double[] base = model.estimate(x);
        for (int t : new int[] {0, 37, 64, 119}) {
            double[] moved = x.clone();
            moved[t] += 8.0;
            assertEquals(base[t], model.estimate(moved)[t], 0.0, "estimate " + t);
        }
    }

    /** On a smooth series, interpolating from both sides beats the mean by far. */
    @Test
    void trainingLearnsToInterpolate() {
        double[] x = series(300, 9);
        InterpolationOptions opts = InterpolationOptions.defaults().withShape(6, 1).withTraining(60, 24);
        InterpolationModel model = InterpolationModel.train(x, opts, 21);
        double[] e = model.estimate(x);
        double mse = 0;
        for (int t = 0; t < x.length; t++) {
            mse += (x[t] - e[t]) * (x[t] - e[t]) / x.length;
        }
        // The series' variance is 4.5 + 0.25; its noise alone 0.25.
        assertTrue(mse < 1.0, "interpolation MSE " + mse);
    }

    /** Same values, options and seed: the same estimates and scores, bit for bit; another seed differs. */
    @Test
    void sameSeedSameScores() {
        double[] x = series(100, 4);
        InterpolationScoring scoring = new InterpolationScoring(small(CellType.LSTM, 1), AnomalyScorer.defaults());
        InterpolationScoring.Result a = scoring.score(x, 7);
        InterpolationScoring.Result b = scoring.score(x, 7);
        InterpolationScoring.Result c = scoring.score(x, 8);
        assertArrayEquals(a.estimates(), b.estimates(), 0.0);
        assertArrayEquals(a.scores(), b.scores(), 0.0);
        assertTrue(!java.util.Arrays.equals(a.estimates(), c.estimates()), "another seed should give another model");
    }

    @Test
    void windowsCoverTheSeriesWithOverlaps() {
        assertArrayEquals(new int[] {0, 8, 16, 24}, InterpolationModel.starts(0, 40, 16));
        assertArrayEquals(new int[] {0}, InterpolationModel.starts(0, 16, 16));
        assertArrayEquals(new int[] {100, 104}, InterpolationModel.starts(100, 112, 8));
    }

    @Test
    void rejectsTooShortOrNonFiniteSeries() {
        InterpolationOptions opts = InterpolationOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> InterpolationModel.initial(new double[5], opts, 1));
        double[] x = series(40, 1);
        x[3] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> InterpolationModel.initial(x, opts, 1));
    }
}
