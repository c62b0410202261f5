package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorMetricsTest {

    @Test
    void mseAndMaeOfKnownErrors() {
        ErrorMetrics m = new ErrorMetrics();
        m.add(1.0, 0.0);
        m.add(-2.0, 0.0);
        m.add(3.0, 3.0);
        m.add(0.5, 1.0);
        assertEquals(4, m.count());
        assertEquals((1 + 4 + 0 + 0.25) / 4, m.mse(), 1e-15);
        assertEquals((1 + 2 + 0 + 0.5) / 4, m.mae(), 1e-15);
    }

    @Test
    void emptyIsNaNAndNonFiniteIsRejected() {
        ErrorMetrics m = new ErrorMetrics();
        assertTrue(Double.isNaN(m.mse()));
        assertTrue(Double.isNaN(m.mae()));
        assertThrows(IllegalArgumentException.class, () -> m.add(Double.NaN, 1));
    }

    @Test
    void zScoreUsesPopulationStdOfTheGivenRows() {
        double[] x = {100, 1, 3, 1, 3, -100};
        ZScore z = ZScore.of(x, new RowRange(1, 5));
        assertEquals(2.0, z.mean(), 1e-15);
        assertEquals(1.0, z.std(), 1e-15);
        assertEquals(1.0, z.normalise(3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ZScore.of(new double[] {2, 2}, new RowRange(0, 2)));
    }
}
