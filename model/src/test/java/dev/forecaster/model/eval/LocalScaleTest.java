package dev.forecaster.model.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalScaleTest {

    @Test
    void ratioIsTheTrailingRmsChangeOverTheTrainOne() {
        // Changes of ±1 for 10 rows, then ±3: the ratio to a train RMS of 1 moves from 1 to 3.
        double[] x = new double[21];
        for (int t = 1; t < x.length; t++) {
            double step = t <= 10 ? 1 : 3;
            x[t] = x[t - 1] + (t % 2 == 0 ? step : -step);
        }
        LocalScale s = LocalScale.of(x, 4, 1.0);
        assertEquals(1.0, s.ratio(0));
        assertEquals(1.0, s.ratio(3), 1e-12);
        assertEquals(1.0, s.ratio(10), 1e-12);
        // Row 12: changes into rows 9..12 are 1, 1, 3, 3.
        assertEquals(Math.sqrt((1 + 1 + 9 + 9) / 4.0), s.ratio(12), 1e-12);
        assertEquals(3.0, s.ratio(20), 1e-12);
        assertEquals(1.5, LocalScale.of(x, 4, 2.0).ratio(20), 1e-12);
    }

    @Test
    void ratioReadsNoLaterRow() {
        double[] x = new double[50];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.sin(t * 0.7) * (1 + t % 5);
        }
        LocalScale whole = LocalScale.of(x, 8, 1.3);
        for (int t = 0; t < x.length; t++) {
            LocalScale prefixOnly = LocalScale.of(java.util.Arrays.copyOf(x, t + 1), 8, 1.3);
            assertEquals(whole.ratio(t), prefixOnly.ratio(t), 1e-12, "row " + t);
        }
    }

    @Test
    void flatStretchesAndBurstsAreClamped() {
        double[] flat = new double[30];
        assertEquals(LocalScale.MIN, LocalScale.of(flat, 10, 1.0).ratio(29));
        double[] burst = {0, 1000, 0, 1000, 0};
        assertEquals(LocalScale.MAX, LocalScale.of(burst, 4, 1.0).ratio(4));
    }

    @Test
    void offIsOneEverywhereAndBadArgumentsAreRefused() {
        assertEquals(1.0, LocalScale.NONE.ratio(7));
        assertThrows(IllegalArgumentException.class, () -> LocalScale.of(new double[5], 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> LocalScale.of(new double[5], 4, 0.0));
        assertThrows(IllegalArgumentException.class, () -> LocalScale.of(new double[5], 4, Double.NaN));
    }
}
