package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesForecasterTest {

    /**
     * A model with calendar features gets, at every event, the normalised value followed by the
     * encoding of that event's time; the same value at another hour is another input.
     */
    @Test
    void calendarFeaturesComeFromTheEventTime() {
        InputFeatures calendar = InputFeatures.parse("hour_of_day,day_of_week", "Europe/Paris");
        ModelSpec spec = ModelSpec.of(CellType.LSTM, 10, 1, 3).withFeatures(calendar);
        LstmForecaster kernel = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 9L, 0.5));
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        SeriesScaler scaler = new SeriesScaler();
        RecurrentState state = kernel.newState();
        SeriesScaler refScaler = new SeriesScaler();
        RecurrentState refState = kernel.newState();
        float[] in = new float[5];
        float[] out = new float[3];
        long start = java.time.Instant.parse("2024-03-30T20:00:00Z").toEpochMilli();
        for (int t = 0; t < 40; t++) {
            // Across the switch to summer time in Paris (31 March 2024, 01:00 UTC).
            long time = start + t * 1_800_000L;
            double v = 50 + 3 * Math.sin(t / 3.0);
            double[] means = forecaster.observe(scaler, state, time, v);
            refScaler.update(v);
            calendar.encode(refScaler.normalise(v), time, in);
            kernel.step(refState, in, out);
            for (int k = 0; k < 3; k++) {
                assertEquals(refScaler.denormalise(out[k]), means[k], 1e-9, "t=" + t);
            }
        }
        double[] atNine = forecaster.observe(scaler.copy(), state.copy(), start + 13 * 3_600_000L, 50);
        double[] atNoon = forecaster.observe(scaler.copy(), state.copy(), start + 16 * 3_600_000L, 50);
        assertTrue(Math.abs(atNine[0] - atNoon[0]) > 1e-6, "the hour must reach the model");
        // Unnamed extra inputs (kernel tests) are nothing a series can feed.
        ModelSpec unnamed = new ModelSpec(CellType.LSTM, 3, 4, 1, 2);
        assertThrows(IllegalArgumentException.class,
                () -> new SeriesForecaster(LstmForecaster.fromSnapshot(RandomModels.snapshot(unnamed, 1L, 0.5))));
    }

    /**
     * A Gaussian head's spreads come back in the series' units: the kernel's normalised sd times
     * the scaler's scale after the update, the same coordinates as the mean. A point head has none.
     */
    @Test
    void gaussianSpreadsAreDenormalisedWithTheScalersScale() {
        ModelSpec spec = ModelSpec.of(CellType.GRU, 12, 2, 4).withHead(HeadKind.GAUSSIAN);
        LstmForecaster kernel = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 7L, 0.3));
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        SeriesScaler scaler = new SeriesScaler();
        RecurrentState state = kernel.newState();
        SeriesScaler refScaler = new SeriesScaler();
        RecurrentState refState = kernel.newState();
        float[] out = new float[spec.outputs()];
        for (int t = 0; t < 50; t++) {
            double v = 1000 + 40 * Math.sin(t / 4.0);
            SeriesForecaster.Prediction p = forecaster.predict(scaler, state, 0L, v);
            refScaler.update(v);
            kernel.step(refState, new float[] {refScaler.normalise(v)}, out);
            for (int k = 0; k < 4; k++) {
                assertEquals(refScaler.denormalise(out[k]), p.means()[k], 1e-9);
                assertEquals(out[4 + k] * refScaler.scale(), p.spreads()[k], 1e-9);
                assertTrue(p.spreads()[k] > 0);
            }
        }
        assertEquals(refState, state);
        ModelSpec pointSpec = spec.withHead(HeadKind.POINT);
        SeriesForecaster point = new SeriesForecaster(LstmForecaster.fromSnapshot(RandomModels.snapshot(pointSpec, 7L, 0.3)));
        SeriesForecaster.Prediction p = point.predict(new SeriesScaler(), RecurrentState.zeros(pointSpec), 0L, 3.0);
        assertEquals(4, p.means().length);
        assertEquals(null, p.spreads());
    }

    /** Points before scoring starts, so the scaler and state have settled. */
    private static final int BURN_IN = 100;

    @Test
    void oneStepForecastsBeatPersistenceOnAnUnseenSine() {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(SyntheticSeries.smallModel());
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        int horizon = kernel.spec().horizon();
        // A different seed: none of these series was trained on.
        double[] x = SyntheticSeries.sines(1, 1000, 99).get(0);

        SeriesScaler scaler = new SeriesScaler();
        RecurrentState state = kernel.newState();
        double modelError = 0;
        double persistenceError = 0;
        double modelErrorLast = 0;
        double persistenceErrorLast = 0;
        int scored = 0;
        int scoredLast = 0;
        for (int t = 0; t + 1 < x.length; t++) {
            double[] forecast = forecaster.observe(scaler, state, t, x[t]);
            assertEquals(horizon, forecast.length);
            if (t < BURN_IN) {
                continue;
            }
            modelError += Math.abs(forecast[0] - x[t + 1]);
            persistenceError += Math.abs(x[t] - x[t + 1]);
            scored++;
            if (t + horizon < x.length) {
                modelErrorLast += Math.abs(forecast[horizon - 1] - x[t + horizon]);
                persistenceErrorLast += Math.abs(x[t] - x[t + horizon]);
                scoredLast++;
            }
        }
        double mae = modelError / scored;
        double persistence = persistenceError / scored;
        System.out.printf("one step: MAE %.3f vs persistence %.3f; %d steps: MAE %.3f vs %.3f%n",
                mae, persistence, horizon, modelErrorLast / scoredLast,
                persistenceErrorLast / scoredLast);
        assertTrue(mae < persistence, "MAE " + mae + " vs persistence " + persistence);
        assertTrue(modelErrorLast < persistenceErrorLast, "the last horizon step beats persistence too");
    }

    @Test
    void observeIsScalerThenKernelThenDenormalise() {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(SyntheticSeries.smallModel());
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        SeriesScaler scaler = new SeriesScaler();
        RecurrentState state = kernel.newState();
        SeriesScaler manualScaler = new SeriesScaler();
        RecurrentState manualState = kernel.newState();
        float[] out = new float[kernel.spec().horizon()];
        for (double v : new double[] {100, 104, 97, 120, 101}) {
            double[] forecast = forecaster.observe(scaler, state, 0L, v);
            manualScaler.update(v);
            kernel.step(manualState, new float[] {manualScaler.normalise(v)}, out);
            double[] expected = new double[out.length];
            for (int k = 0; k < out.length; k++) {
                expected[k] = manualScaler.denormalise(out[k]);
            }
            assertArrayEquals(expected, forecast);
            assertEquals(manualScaler, scaler);
            assertEquals(manualState, state);
        }
    }

    @Test
    void survivesJavaSerialisation() throws IOException, ClassNotFoundException {
        SeriesForecaster forecaster =
                new SeriesForecaster(LstmForecaster.fromSnapshot(SyntheticSeries.smallModel()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(forecaster);
        }
        SeriesForecaster copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SeriesForecaster) in.readObject();
        }
        RecurrentState a = forecaster.kernel().newState();
        RecurrentState b = copy.kernel().newState();
        SeriesScaler sa = new SeriesScaler();
        SeriesScaler sb = new SeriesScaler();
        for (double v : new double[] {3, 1, 4, 1, 5, 9, 2, 6}) {
            assertArrayEquals(forecaster.observe(sa, a, 0L, v), copy.observe(sb, b, 0L, v));
        }
    }

    @Test
    void rejectsAStateOfAnotherShapeBeforeTouchingTheScaler() {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(SyntheticSeries.smallModel());
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        SeriesScaler scaler = new SeriesScaler();
        RecurrentState wrong = new RecurrentState(new float[1][3], new float[1][3]);
        assertThrows(IllegalArgumentException.class, () -> forecaster.observe(scaler, wrong, 0L, 1.0));
        assertEquals(new SeriesScaler(), scaler);
    }
}
