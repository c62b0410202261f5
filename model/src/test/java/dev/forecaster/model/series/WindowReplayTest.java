package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.model.lifecycle.ValidationGate;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowReplayTest {

    private static final int MEMORY = 20;
    private static final int LENGTH = 100;

    /** A drifting series: sines on a trend, so that statistics from the start differ from fresh ones. */
    private static double[] series() {
        double[] x = SyntheticSeries.sines(1, 600, 4).get(0);
        for (int t = 0; t < x.length; t++) {
            x[t] += 0.05 * t;
        }
        return x;
    }

    private static LstmForecaster model(int memory) {
        return LstmForecaster.fromSnapshot(SyntheticSeries.withScalingMemory(SyntheticSeries.smallModel(), memory));
    }

    /**
     * Every origin of every window sees, bit for bit, the statistics serving had at that point of
     * the series: those of a scaler that walked the whole series up to it.
     */
    @Test
    void replaysEachWindowFromTheStatisticsServingHadBeforeIt() {
        double[] x = series();
        List<TrainingWindow> windows = TrainingWindows.cut("s", x, LENGTH, 50, 1000, MEMORY);
        assertEquals(11, windows.size());
        SeriesForecaster forecaster = new SeriesForecaster(model(MEMORY));
        for (TrainingWindow w : windows) {
            int first = (int) (w.getEndTime().toEpochMilli() / 1000) - LENGTH + 1;
            List<Integer> checked = new ArrayList<>();
            WindowReplay.forEachOrigin(forecaster, List.of(TrainingWindows.timed(w)), (window, t, scaler, p) -> {
                assertEquals(walked(x, first + t, MEMORY), scaler, "window ending " + w.getEndTime() + ", point " + t);
                checked.add(t);
            });
            assertEquals(LENGTH - 1, checked.size());
        }
    }

    /**
     * Statistics kept with another memory (a key served by an older model) carry on with the
     * replayed model's, as serving carries them on when that model takes the key over.
     */
    @Test
    void carriesStatisticsOfAnotherMemoryOnWithTheModels() {
        double[] x = series();
        TrainingWindow w = TrainingWindows.cut("s", x, LENGTH, 50, 1000, SeriesScaler.LIFETIME).get(4);
        int first = (int) (w.getEndTime().toEpochMilli() / 1000) - LENGTH + 1;
        SeriesScaler expected = walked(x, first - 1, SeriesScaler.LIFETIME);
        expected.useMemory(MEMORY);
        List<SeriesScaler> seen = new ArrayList<>();
        WindowReplay.forEachOrigin(new SeriesForecaster(model(MEMORY)), List.of(TrainingWindows.timed(w)),
                (window, t, scaler, p) -> seen.add(scaler.copy()));
        expected.update(x[first]);
        assertEquals(expected, seen.get(0));
        assertEquals(MEMORY, seen.get(0).memory());
    }

    /** Values without start statistics replay from empty ones, as a new key starts. */
    @Test
    void valuesWithoutStartStatisticsStartEmpty() {
        double[] x = series();
        TimedValues untimed = TimedValues.untimed(java.util.Arrays.copyOfRange(x, 300, 400));
        List<SeriesScaler> seen = new ArrayList<>();
        WindowReplay.forEachOrigin(new SeriesForecaster(model(MEMORY)), List.of(untimed),
                (window, t, scaler, p) -> seen.add(scaler.copy()));
        SeriesScaler expected = new SeriesScaler(MEMORY);
        expected.update(x[300]);
        assertEquals(expected, seen.get(0));
    }

    /** The gate scores what serving forecast: its error differs from a replay from empty statistics. */
    @Test
    void theGateScoresWindowsFromTheirStartStatistics() {
        double[] x = series();
        ModelSnapshot snapshot = SyntheticSeries.withScalingMemory(SyntheticSeries.smallModel(), MEMORY);
        List<TimedValues> withStart = new ArrayList<>();
        List<TimedValues> withoutStart = new ArrayList<>();
        for (TrainingWindow w : TrainingWindows.cut("s", x, LENGTH, 50, 1000, MEMORY)) {
            TimedValues timed = TrainingWindows.timed(w);
            withStart.add(timed);
            withoutStart.add(new TimedValues(timed.times(), timed.values()));
        }
        ValidationGate gate = new ValidationGate(0.02, 3.0, 24);
        double served = gate.oneStepMse(snapshot, withStart);
        double reference = servedOneStepMse(model(MEMORY), x, withStart);
        assertEquals(reference, served, 1e-12 * reference);
        assertNotEquals(served, gate.oneStepMse(snapshot, withoutStart));
    }

    /** The statistics after walking x[0..last] with {@code memory}. */
    private static SeriesScaler walked(double[] x, int last, int memory) {
        SeriesScaler scaler = new SeriesScaler(memory);
        for (int t = 0; t <= last; t++) {
            scaler.update(x[t]);
        }
        return scaler;
    }

    /**
     * The gate's figure computed independently: each window from a zero recurrent state but with
     * the walked statistics, scored after 24 points of warm-up in the statistics' scale.
     */
    private static double servedOneStepMse(LstmForecaster kernel, double[] x, List<TimedValues> windows) {
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        double sum = 0;
        int n = 0;
        for (TimedValues w : windows) {
            double[] v = w.values();
            int first = (int) (w.times()[0] / 1000);
            SeriesScaler scaler = walked(x, first - 1, MEMORY);
            var state = kernel.newState();
            for (int t = 0; t + 1 < v.length; t++) {
                SeriesForecaster.Prediction p = forecaster.predict(scaler, state, w.times()[t], v[t]);
                if (t + 1 >= 24) {
                    double e = (p.means()[0] - v[t + 1]) / scaler.scale();
                    sum += e * e;
                    n++;
                }
            }
        }
        return sum / n;
    }
}
