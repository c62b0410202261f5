package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.SpreadCalibration;
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

    /**
     * A snapshot's spread factors scale each step's spread, and so move p10/p90, while the means
     * and the recurrent state are those of the uncalibrated model; the identity reproduces the
     * raw spreads bit for bit, and an explicit calibration overrides the snapshot's.
     */
    @Test
    void calibrationMultipliesEachStepsSpreadAndNothingElse() throws IOException, ClassNotFoundException {
        ModelSpec spec = ModelSpec.of(CellType.LSTM, 10, 1, 3).withHead(HeadKind.GAUSSIAN);
        dev.forecaster.schema.ModelSnapshot raw = RandomModels.snapshot(spec, 5L, 0.3);
        SpreadCalibration factors = SpreadCalibration.of(new double[] {0.5, 1.0, 2.5});
        LstmForecaster plainKernel = LstmForecaster.fromSnapshot(raw);
        LstmForecaster calibratedKernel = LstmForecaster.fromSnapshot(factors.attachTo(raw));
        SeriesForecaster plain = new SeriesForecaster(plainKernel);
        SeriesForecaster calibrated = new SeriesForecaster(calibratedKernel);
        SeriesForecaster overridden = new SeriesForecaster(calibratedKernel, SpreadCalibration.identity(3));
        SeriesScaler[] scalers = {new SeriesScaler(), new SeriesScaler(), new SeriesScaler()};
        RecurrentState[] states = {plainKernel.newState(), calibratedKernel.newState(), calibratedKernel.newState()};
        for (int t = 0; t < 40; t++) {
            double v = 50 + 5 * Math.sin(t / 3.0);
            SeriesForecaster.Prediction p = plain.predict(scalers[0], states[0], 0L, v);
            SeriesForecaster.Prediction c = calibrated.predict(scalers[1], states[1], 0L, v);
            SeriesForecaster.Prediction o = overridden.predict(scalers[2], states[2], 0L, v);
            assertArrayEquals(p.means(), c.means(), "means are not calibrated");
            assertArrayEquals(p.spreads(), o.spreads(), "the identity gives the raw spreads exactly");
            double[] p10 = HeadKind.quantile(p.means(), p.spreads(), -HeadKind.Z90);
            double[] c10 = HeadKind.quantile(c.means(), c.spreads(), -HeadKind.Z90);
            double[] c90 = HeadKind.quantile(c.means(), c.spreads(), HeadKind.Z90);
            for (int k = 0; k < 3; k++) {
                assertEquals(p.spreads()[k] * factors.factor(k), c.spreads()[k], 1e-12);
                assertEquals(c.means()[k] - c10[k], c90[k] - c.means()[k], 1e-9, "p10/p90 stay symmetric");
            }
            assertTrue(c10[0] > p10[0] && c10[2] < p10[2], "p10 moves in towards the mean at step 1, out at step 3");
            assertEquals(p10[1], c10[1], 1e-12);
        }
        assertEquals(states[0], states[1]);
        assertThrows(IllegalArgumentException.class,
                () -> new SeriesForecaster(calibratedKernel, SpreadCalibration.identity(4)));

        // Flink ships the forecaster (and its kernel) to task managers by Java serialisation.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(calibrated);
        }
        SeriesForecaster copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SeriesForecaster) in.readObject();
        }
        assertEquals(factors, copy.kernel().spreadCalibration());
        SeriesForecaster.Prediction before = calibrated.predict(scalers[1].copy(), states[1].copy(), 0L, 51);
        SeriesForecaster.Prediction after = copy.predict(scalers[1].copy(), states[1].copy(), 0L, 51);
        assertArrayEquals(before.spreads(), after.spreads());
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
    void observeIsScalerThenKernelThenTheTargetsMean() {
        for (ForecastTarget target : ForecastTarget.values()) {
            ModelSpec spec = ModelSpec.lstm(8, 1, 3).withTarget(target);
            LstmForecaster kernel = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 3L, 0.5));
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
                    // A level around the running mean, or a change from the value just seen.
                    double origin = target == ForecastTarget.LEVEL ? manualScaler.mean() : v;
                    expected[k] = origin + out[k] * manualScaler.scale();
                }
                assertArrayEquals(expected, forecast, 1e-9, target.name());
                assertEquals(manualScaler, scaler);
                assertEquals(manualState, state);
            }
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
