package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The vector kernel against the scalar one, and the batched path against single steps. */
class StepKernelEquivalenceTest {

    private static final int STEPS = 1000;
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "H={0}, layers={1}, horizon={2}, inputs={3}")
    @CsvSource({
        "16, 1, 24, 1", "64, 1, 24, 1", "128, 1, 24, 1",
        "16, 2, 24, 1", "64, 2, 24, 1", "128, 2, 24, 1",
        // Sizes that are not multiples of any vector length: padded gates, head and tails.
        "20, 2, 5, 3", "8, 1, 3, 1", "37, 1, 17, 2"})
    void vectorKernelMatchesScalarKernel(int hidden, int layers, int horizon, int inputs) {
        ModelSpec spec = new ModelSpec(CellType.LSTM, inputs, hidden, layers, horizon);
        LstmWeights weights = RandomModels.weights(spec, 31L * hidden + layers);
        StepKernel scalar = StepKernels.scalar(weights);
        StepKernel vector = StepKernels.vector(weights);
        RecurrentState s1 = RecurrentState.zeros(spec);
        RecurrentState s2 = RecurrentState.zeros(spec);
        float[] in = new float[inputs];
        float[] out1 = new float[horizon];
        float[] out2 = new float[horizon];
        Random random = new Random(hidden);
        double worst = 0;
        double sumAbs = 0;
        for (int t = 0; t < STEPS; t++) {
            RandomModels.input(random, t, in);
            scalar.step(s1, in, out1);
            vector.step(s2, in, out2);
            for (int k = 0; k < horizon; k++) {
                double diff = Math.abs(out1[k] - out2[k]);
                worst = Math.max(worst, diff);
                sumAbs += Math.abs(out1[k]);
                if (!(diff <= TOLERANCE)) {
                    fail("Step " + t + ", output " + k + ": scalar " + out1[k] + ", vector " + out2[k]);
                }
            }
            for (int l = 0; l < layers; l++) {
                for (int j = 0; j < hidden; j++) {
                    double diff = Math.abs(s1.h[l][j] - s2.h[l][j]);
                    if (!(diff <= TOLERANCE)) {
                        fail("Step " + t + ", h[" + l + "][" + j + "]: scalar " + s1.h[l][j]
                                + ", vector " + s2.h[l][j]);
                    }
                }
            }
        }
        assertTrue(sumAbs / (STEPS * horizon) > 0.05, "outputs too small to compare");
        System.out.printf("%s: max |scalar - vector| over %d steps = %.3g%n", spec, STEPS, worst);
    }

    @ParameterizedTest(name = "{0} kernel, H={1}, layers={2}")
    @CsvSource({"vector, 64, 1", "vector, 20, 2", "vector, 128, 1", "scalar, 64, 1", "scalar, 20, 2"})
    void batchIsBitForBitTheSingleSteps(String kind, int hidden, int layers) {
        ModelSpec spec = ModelSpec.lstm(hidden, layers, 24);
        LstmWeights weights = RandomModels.weights(spec, 5L);
        StepKernel single = kind.equals("vector") ? StepKernels.vector(weights) : StepKernels.scalar(weights);
        StepKernel batched = kind.equals("vector") ? StepKernels.vector(weights) : StepKernels.scalar(weights);
        // More keys than one block, and not a multiple of any tile.
        int keys = 71;
        RecurrentState[] a = new RecurrentState[keys];
        RecurrentState[] b = new RecurrentState[keys];
        float[][] inputs = new float[keys][1];
        float[][] outsA = new float[keys][24];
        float[][] outsB = new float[keys][24];
        for (int k = 0; k < keys; k++) {
            a[k] = RecurrentState.zeros(spec);
            b[k] = RecurrentState.zeros(spec);
        }
        Random random = new Random(9);
        for (int t = 0; t < 40; t++) {
            for (int k = 0; k < keys; k++) {
                RandomModels.input(random, t + k, inputs[k]);
            }
            // A varying count exercises partial blocks and tiles; keys beyond it must stay as they are.
            int count = t % 3 == 0 ? keys : keys - t % 7;
            for (int k = 0; k < count; k++) {
                single.step(a[k], inputs[k], outsA[k]);
            }
            batched.stepBatch(b, inputs, outsB, count);
            for (int k = 0; k < keys; k++) {
                assertEquals(a[k], b[k], "state of key " + k + " at step " + t);
                assertArrayEquals(outsA[k], outsB[k], "outputs of key " + k + " at step " + t);
            }
        }
    }

    @Test
    void forecasterBatchMatchesItsSingleSteps() {
        ModelSpec spec = ModelSpec.lstm(32, 1, 6);
        LstmForecaster model = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 3L, 0.3));
        int keys = 10;
        RecurrentState[] a = new RecurrentState[keys];
        RecurrentState[] b = new RecurrentState[keys];
        float[][] inputs = new float[keys][1];
        float[][] outsA = new float[keys][6];
        float[][] outsB = new float[keys][6];
        for (int k = 0; k < keys; k++) {
            a[k] = model.newState();
            b[k] = model.newState();
            inputs[k][0] = k - 4.5f;
        }
        for (int t = 0; t < 5; t++) {
            for (int k = 0; k < keys; k++) {
                model.step(a[k], inputs[k], outsA[k]);
            }
            model.stepBatch(b, inputs, outsB);
        }
        for (int k = 0; k < keys; k++) {
            assertEquals(a[k], b[k]);
            assertArrayEquals(outsA[k], outsB[k]);
        }
    }

    @Test
    void badBatchArgumentsLeaveEveryStateUnchanged() {
        ModelSpec spec = ModelSpec.lstm(16, 1, 4);
        LstmForecaster model = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 3L, 0.3));
        RecurrentState[] states = {model.newState(), model.newState(), model.newState()};
        float[][] inputs = {{1f}, {2f}, {3f}};
        float[][] outs = {new float[4], new float[4], new float[2]};
        assertThrows(IllegalArgumentException.class, () -> model.stepBatch(states, inputs, outs));
        assertThrows(IllegalArgumentException.class,
                () -> model.stepBatch(states, inputs, new float[][] {new float[4]}));
        assertThrows(IllegalArgumentException.class, () -> model.stepBatch(states, inputs, outs, 4));
        for (RecurrentState s : states) {
            assertEquals(model.newState(), s);
        }
        // Two keys with valid arguments are fine.
        model.stepBatch(states, inputs, outs, 2);
        assertTrue(states[0].h[0][0] != 0f && states[2].equals(model.newState()));
    }

    @Test
    void vectorSigmoidDenominatorIsAccurate() {
        int lanes = VectorLstmKernel.lanes();
        int n = 4096 * lanes;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -25f + 50f * i / (n - 1);
        }
        float[] d = x.clone();
        VectorLstmKernel.denominators(d, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double clamped = Math.max(-20, Math.min(20, x[i]));
            double expected = 1 + Math.exp(-clamped);
            worst = Math.max(worst, Math.abs(d[i] - expected) / expected);
        }
        assertTrue(worst < 3e-7, "relative error " + worst);
    }
}
