package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

class StepErrorsTest {

    /**
     * Run as the backtest's sink: the mean of the step MSEs is the longest horizon's MSE (same
     * origins, same filled rows left out), persistence's error grows with the step on a trend, and
     * the chosen origins' forecasts are kept as they were emitted.
     */
    @Test
    void stepErrorsAverageToTheLongestHorizonsMse() throws Exception {
        double[] x = new double[300];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.sin(t * 0.2) + 0.02 * t;
        }
        BitSet filled = new BitSet();
        filled.set(260);
        Split split = new Split(new RowRange(0, 150), new RowRange(150, 200), new RowRange(200, 300));
        int h = 12;
        ZScore z = ZScore.of(x, split.train(), filled);
        StepErrors steps = new StepErrors(x, z, filled, h, 199, 250, 298);
        Backtest.Result r = new Backtest(split, List.of(4, h), Backtest.Mode.FROZEN, 1, filled)
                .run(new Persistence(), x, steps, null);

        double[] mse = steps.mseByStep();
        assertEquals(h, mse.length);
        double mean = 0;
        for (double v : mse) {
            mean += v / h;
        }
        assertEquals(r.byHorizon().get(h).mse(), mean, 1e-12);
        assertTrue(mse[h - 1] > 4 * mse[0], java.util.Arrays.toString(mse));

        Map<Integer, double[]> samples = steps.samples();
        assertEquals(List.of(199, 250, 298), List.copyOf(samples.keySet()));
        double[] first = samples.get(199);
        assertEquals(h, first.length);
        assertEquals(x[199], first[h - 1], 0);
        // The last origin's forecast is cut at the test end: one step.
        assertArrayEquals(new double[] {x[298]}, samples.get(298), 0);
    }

    @Test
    void aStepNothingWasScoredAtIsNaN() {
        double[] x = {0, 1, 2, 3, 4, 5};
        StepErrors steps = new StepErrors(x, new ZScore(0, 1), new BitSet(), 2, 9);
        steps.accept(3, new double[] {4, 5});
        steps.accept(4, new double[] {5});
        assertArrayEquals(new double[] {0, 0}, steps.mseByStep(), 0);
        StepErrors none = new StepErrors(x, new ZScore(0, 1), new BitSet(), 2);
        assertTrue(Double.isNaN(none.mseByStep()[1]));
        assertNull(steps.samples().get(9));
    }
}
