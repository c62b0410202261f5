package dev.forecaster.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static RecurrentForecaster small(RecurrentForecaster.Base base, int iterations) {
        return small(CellType.LSTM, false, base, iterations);
    }

    private static RecurrentForecaster small(CellType cell, boolean identity, RecurrentForecaster.Base base,
            int iterations) {
        return small(cell, identity, base, iterations, HeadKind.POINT);
    }

    private static RecurrentForecaster small(CellType cell, boolean identity, RecurrentForecaster.Base base,
            int iterations, HeadKind head) {
        RecurrentForecaster.Options o = new RecurrentForecaster.Options(cell, identity, base, 8, 1, 24,
                24, 8, iterations, 5, 2, 1e-2, 1.0, 24, 3, head,
                InputFeatures.VALUE_ONLY);
        return new RecurrentForecaster(cell.name().toLowerCase(), o, List.of(4, 12));
    }

    /**
     * A Gaussian head starts at its base with a spread of one train std per step (log-sd 0), trains
     * reproducibly on its likelihood, and ends with spreads that grow with the horizon, as the
     * errors of a persistence base on a sine do.
     */
    @Test
    void aGaussianHeadForecastsSpreadsThatTrainOnTheLikelihood() {
        double[] x = series(400);
        TrainingData data = new TrainingData(Arrays.copyOf(x, 300), new RowRange(0, 200), new RowRange(200, 300));
        double[] history = Arrays.copyOf(x, 320);
        double std = ZScore.of(x, new RowRange(0, 200)).std();
        RecurrentForecaster untrained = small(CellType.LSTM, false, RecurrentForecaster.Base.PERSISTENCE, 0, HeadKind.GAUSSIAN);
        untrained.fit(data);
        assertArrayEquals(new Persistence().forecast(history, 12), untrained.forecast(history, 12), 1e-9);
        double[] flat = new double[12];
        Arrays.fill(flat, std);
        assertArrayEquals(flat, untrained.spreads(history, 12), 1e-6 * std);

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
        RecurrentForecaster.Options o = new RecurrentForecaster.Options(CellType.GRU, false,
                RecurrentForecaster.Base.PERSISTENCE, 8, 1, 24, 24, 8, 30, 5, 2, 1e-2, 1.0, 24, 3, HeadKind.POINT,
                InputFeatures.parse("hour_of_day,day_of_week", "UTC"));
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
}
