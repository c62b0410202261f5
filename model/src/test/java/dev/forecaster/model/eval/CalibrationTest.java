package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

class CalibrationTest {

    /** Observations drawn from the forecast itself: coverage 0.80, NLL and CRPS at their expectations. */
    @Test
    void aCalibratedForecastScoresItsExpectations() {
        Calibration c = new Calibration();
        Random random = new Random(1);
        double sd = 2.0;
        for (int i = 0; i < 200_000; i++) {
            c.add(5.0, sd, 5.0 + sd * random.nextGaussian());
        }
        assertEquals(0.80, c.coverage(), 0.005);
        // E[NLL] = ln sd + 1/2 + ln(2π)/2; E[CRPS] = E|X - y| - E|X - X'|/2 = 2sd/√π - sd/√π = sd/√π.
        assertEquals(Math.log(sd) + 0.5 + 0.5 * Math.log(2 * Math.PI), c.nll(), 0.01);
        assertEquals(sd / Math.sqrt(Math.PI), c.crps(), 0.005);
    }

    @Test
    void anOverconfidentForecastIsCaught() {
        Calibration c = new Calibration();
        Random random = new Random(2);
        for (int i = 0; i < 50_000; i++) {
            c.add(0.0, 0.5, random.nextGaussian());
        }
        assertTrue(c.coverage() < 0.55, "coverage " + c.coverage());
    }

    @Test
    void crpsOfASharpForecastIsTheAbsoluteError() {
        Calibration c = new Calibration();
        c.add(1.0, 1e-9, 3.5);
        assertEquals(2.5, c.crps(), 1e-6);
        assertEquals(0.0, c.coverage());
        assertThrows(IllegalArgumentException.class, () -> c.add(0, 0, 1));
        assertTrue(Double.isNaN(new Calibration().crps()));
    }

    @Test
    void theTableListsOnlyProbabilisticModels() {
        ErrorMetrics m = new ErrorMetrics();
        m.add(1, 1);
        Calibration c = new Calibration();
        c.add(0, 1, 0.5);
        Backtest.Result point = new Backtest.Result("nlinear", Backtest.Mode.FROZEN, Map.of(4, m), 1, 0, 0);
        Backtest.Result gauss = new Backtest.Result("lstm-gaussian", Backtest.Mode.FROZEN, Map.of(4, m), Map.of(4, c), 1, 0, 0);
        String table = ResultTable.markdown(List.of(point, gauss), List.of(4));
        assertTrue(table.contains("| model | mode | cover80@4 | CRPS@4 | NLL@4 |"), table);
        assertTrue(table.contains("| lstm-gaussian | frozen | 1.000 |"), table);
        assertEquals(1, table.split("\n\\| nlinear").length - 1, "nlinear appears in the error table only: " + table);
        assertTrue(!ResultTable.markdown(List.of(point), List.of(4)).contains("cover80"));
    }
}
