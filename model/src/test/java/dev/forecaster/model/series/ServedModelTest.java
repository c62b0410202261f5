package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;

class ServedModelTest {

    @Test
    void aSwappedKeyForecastsAsTheNewModelRunOverItsBufferedWindow() {
        ModelSnapshot v1 = SyntheticSeries.smallModel();
        ModelSnapshot v2 = ModelSnapshot.newBuilder(v1).setVersion(2L).setParentVersion(1L).build();
        // v2 gets other weights: the same ones, scaled.
        v2.setTensors(v1.getTensors().stream().map(t -> {
            float[] f = dev.forecaster.model.snapshot.SnapshotFiles.bytesToFloats(t.getData());
            for (int i = 0; i < f.length; i++) {
                f[i] *= 0.9f;
            }
            return dev.forecaster.schema.Tensor.newBuilder(t)
                    .setData(java.nio.ByteBuffer.wrap(dev.forecaster.model.snapshot.SnapshotFiles.floatsToBytes(f))).build();
        }).toList());
        LstmForecaster old = LstmForecaster.fromSnapshot(v1);
        LstmForecaster next = LstmForecaster.fromSnapshot(v2);
        double[] x = SyntheticSeries.sines(1, 300, 3).get(0);
        int history = 64;

        ServedModel policy = new ServedModel(old, history);
        SeriesProcessor processor = new SeriesProcessor(policy, AnomalyScorer.defaults(), AlertPolicy.defaults());
        SeriesState state = processor.newState();
        for (int t = 0; t < 200; t++) {
            assertEquals(1L, processor.observe(state, t, x[t]).modelVersion());
        }
        SeriesScaler windowStart = state.history.startScaler();
        double[] window = state.history.values();
        long[] times = state.history.times();
        policy.serve(next);

        // Reference: a key that ran the new model over the same buffered window from its start.
        SeriesForecaster reference = new SeriesForecaster(next);
        RecurrentState refState = next.newState();
        SeriesScaler refScaler = windowStart.copy();
        for (int i = 0; i < window.length; i++) {
            reference.observe(refScaler, refState, times[i], window[i]);
        }
        for (int t = 200; t < 300; t++) {
            SeriesProcessor.Step step = processor.observe(state, t, x[t]);
            assertEquals(2L, step.modelVersion());
            assertArrayEquals(reference.observe(refScaler, refState, t, x[t]), step.means(), "t=" + t);
        }
        // Once for the key's first event, once for the swap.
        assertEquals(2, policy.rebuilds());
    }

    /**
     * A new model with another scaling memory: the statistics before the window carry on with the
     * new memory, and the key then forecasts as that model's training computed its inputs: from the
     * window's converted start statistics, walked over the window.
     */
    @Test
    void aSwapToAnotherScalingMemoryWalksTheWindowWithTheNewMemory() {
        // A copy: the trained model is shared by the tests of this JVM.
        ModelSnapshot v1 = SyntheticSeries.withScalingMemory(SyntheticSeries.smallModel(), SeriesScaler.LIFETIME);
        ModelSnapshot v2 = SyntheticSeries.withScalingMemory(
                ModelSnapshot.newBuilder(v1).setVersion(2L).setParentVersion(1L).build(), 50);
        LstmForecaster old = LstmForecaster.fromSnapshot(v1);
        LstmForecaster next = LstmForecaster.fromSnapshot(v2);
        assertEquals(SeriesScaler.LIFETIME, old.spec().scalingMemory());
        double[] x = SyntheticSeries.sines(1, 300, 3).get(0);
        for (int t = 0; t < x.length; t++) {
            x[t] += 0.02 * t; // a trend, so that lifetime and forgetting statistics part ways
        }

        ServedModel policy = new ServedModel(old, 64);
        SeriesProcessor processor = new SeriesProcessor(policy, AnomalyScorer.defaults(), AlertPolicy.defaults());
        SeriesState state = processor.newState();
        for (int t = 0; t < 200; t++) {
            processor.observe(state, t, x[t]);
        }
        SeriesScaler windowStart = state.history.startScaler();
        double[] window = state.history.values();
        long[] times = state.history.times();
        policy.serve(next);

        SeriesForecaster reference = new SeriesForecaster(next);
        RecurrentState refState = next.newState();
        SeriesScaler refScaler = windowStart.copy();
        assertTrue(refScaler.count() > 50, "the conversion has something to convert");
        refScaler.useMemory(50);
        for (int i = 0; i < window.length; i++) {
            reference.observe(refScaler, refState, times[i], window[i]);
        }
        for (int t = 200; t < 300; t++) {
            SeriesProcessor.Step step = processor.observe(state, t, x[t]);
            assertArrayEquals(reference.observe(refScaler, refState, t, x[t]), step.means(), "t=" + t);
            assertEquals(refScaler, state.scaler, "t=" + t);
        }
        assertEquals(50, state.scaler.memory());
        assertEquals(50, state.history.startScaler().memory());
    }

    /** A state from before memories met by a model of its own version that has one (a restored job). */
    @Test
    void aModelOfTheSameVersionWithAnotherMemoryAlsoTakesTheStatisticsOver() {
        ModelSnapshot withMemory = SyntheticSeries.withScalingMemory(SyntheticSeries.smallModel(), 20);
        LstmForecaster model = LstmForecaster.fromSnapshot(withMemory);
        double[] x = SyntheticSeries.sines(1, 200, 4).get(0);
        SeriesProcessor processor = new SeriesProcessor(new ServedModel(model, 64), AnomalyScorer.defaults());
        SeriesState state = processor.newState();
        state.history = new SeriesHistory(64, new SeriesScaler());
        for (int t = 0; t < 150; t++) {
            state.scaler.update(x[t]);
            state.history.add(t, x[t]);
        }
        state.modelVersion = model.version();
        state.recurrent = model.newState();
        SeriesScaler expected = state.history.startScaler();
        expected.useMemory(20);
        for (double v : state.history.values()) {
            expected.update(v);
        }
        expected.update(x[150]);
        processor.observe(state, 150, x[150]);
        assertEquals(expected, state.scaler);
    }

    @Test
    void aKeyWithAShortHistoryReplaysAllOfIt() {
        ModelSnapshot v1 = SyntheticSeries.smallModel();
        LstmForecaster model = LstmForecaster.fromSnapshot(v1);
        Random random = new Random(1);
        ServedModel policy = new ServedModel(model, 500);
        SeriesProcessor processor = new SeriesProcessor(policy, AnomalyScorer.defaults(), AlertPolicy.defaults());
        SeriesState state = processor.newState();
        SeriesForecaster reference = new SeriesForecaster(model);
        RecurrentState refState = model.newState();
        SeriesScaler refScaler = new SeriesScaler();
        for (int t = 0; t < 50; t++) {
            double v = 100 + random.nextGaussian();
            double[] expected = reference.observe(refScaler, refState, t, v);
            if (t == 20) {
                // A restored state of another version (e.g. after a restart that served another model).
                state.modelVersion = 99;
            }
            assertArrayEquals(expected, processor.observe(state, t, v).means(), "t=" + t);
        }
    }
}
