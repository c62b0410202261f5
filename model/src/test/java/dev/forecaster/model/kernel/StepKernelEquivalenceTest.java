package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The vector kernel against the scalar one, and the batched path against single steps. */
class StepKernelEquivalenceTest {

    private static final int STEPS = 1000;
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "{0}, H={1}, layers={2}, horizon={3}, inputs={4}, {5} head")
    @CsvSource({
        "LSTM, 16, 1, 24, 1, POINT", "LSTM, 64, 1, 24, 1, POINT", "LSTM, 128, 1, 24, 1, POINT",
        "LSTM, 16, 2, 24, 1, POINT", "LSTM, 64, 2, 24, 1, POINT", "LSTM, 128, 2, 24, 1, POINT",
        // Sizes that are not multiples of any vector length: padded gates, head and tails.
        "LSTM, 20, 2, 5, 3, POINT", "LSTM, 8, 1, 3, 1, POINT", "LSTM, 37, 1, 17, 2, POINT",
        // Heads of other widths: whole vectors, a last block of half a vector or less, or more.
        "LSTM, 64, 1, 40, 1, POINT", "LSTM, 19, 1, 12, 1, POINT", "LSTM, 64, 1, 8, 1, POINT",
        "GRU, 33, 1, 20, 1, GAUSSIAN", "RNN, 64, 1, 44, 1, POINT",
        "GRU, 16, 1, 24, 1, POINT", "GRU, 64, 2, 24, 1, POINT", "GRU, 128, 1, 24, 1, POINT",
        "GRU, 20, 2, 5, 3, POINT", "GRU, 8, 1, 3, 1, POINT", "GRU, 37, 1, 17, 2, POINT",
        "RNN, 16, 1, 24, 1, POINT", "RNN, 64, 2, 24, 1, POINT", "RNN, 128, 1, 24, 1, POINT",
        "RNN, 20, 2, 5, 3, POINT", "RNN, 8, 1, 3, 1, POINT", "RNN, 37, 1, 17, 2, POINT",
        // Gaussian heads: 2H outputs, padded differently from H.
        "LSTM, 64, 1, 24, 1, GAUSSIAN", "LSTM, 20, 2, 5, 3, GAUSSIAN", "LSTM, 37, 1, 17, 2, GAUSSIAN",
        "GRU, 64, 2, 24, 1, GAUSSIAN", "GRU, 8, 1, 3, 1, GAUSSIAN",
        "RNN, 16, 1, 24, 1, GAUSSIAN", "RNN, 37, 1, 17, 2, GAUSSIAN"})
    void vectorKernelMatchesScalarKernel(CellType cell, int hidden, int layers, int horizon, int inputs, HeadKind head) {
        ModelSpec spec = new ModelSpec(cell, inputs, hidden, layers, horizon, head);
        CellWeights weights = RandomModels.weights(spec, 31L * hidden + layers);
        StepKernel scalar = StepKernels.scalar(weights);
        StepKernel vector = StepKernels.vector(weights);
        RecurrentState s1 = RecurrentState.zeros(spec);
        RecurrentState s2 = RecurrentState.zeros(spec);
        float[] in = new float[inputs];
        float[] out1 = new float[spec.outputs()];
        float[] out2 = new float[spec.outputs()];
        Random random = new Random(hidden);
        double worst = 0;
        double sumAbs = 0;
        for (int t = 0; t < STEPS; t++) {
            RandomModels.input(random, t, in);
            scalar.step(s1, in, out1);
            vector.step(s2, in, out2);
            for (int k = 0; k < spec.outputs(); k++) {
                // Spreads (a Gaussian head's second half) are compared as logs, i.e. relatively.
                boolean spread = k >= horizon;
                // Twice the tolerance for them: a log-sd's own rounding, then exp's and the float's.
                double diff = spread ? Math.abs(Math.log(out1[k]) - Math.log(out2[k])) / 2 : Math.abs(out1[k] - out2[k]);
                worst = Math.max(worst, diff);
                sumAbs += spread ? 0 : Math.abs(out1[k]);
                if (!(diff <= TOLERANCE) || spread && !(out1[k] > 0)) {
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

    @ParameterizedTest(name = "{0} {1} kernel, H={2}, layers={3}, {4} head")
    @CsvSource({"LSTM, vector, 64, 1, POINT", "LSTM, vector, 20, 2, POINT", "LSTM, vector, 128, 1, POINT",
        "LSTM, scalar, 64, 1, POINT", "LSTM, scalar, 20, 2, POINT", "GRU, vector, 64, 1, POINT",
        "GRU, vector, 20, 2, POINT", "GRU, scalar, 20, 2, POINT", "RNN, vector, 64, 1, POINT",
        "RNN, vector, 20, 2, POINT", "RNN, scalar, 20, 2, POINT",
        "LSTM, vector, 64, 1, GAUSSIAN", "GRU, vector, 20, 2, GAUSSIAN", "RNN, vector, 64, 1, GAUSSIAN",
        "LSTM, scalar, 20, 2, GAUSSIAN"})
    void batchIsBitForBitTheSingleSteps(CellType cell, String kind, int hidden, int layers, HeadKind head) {
        ModelSpec spec = ModelSpec.of(cell, hidden, layers, 24).withHead(head);
        CellWeights weights = RandomModels.weights(spec, 5L);
        StepKernel single = kind.equals("vector") ? StepKernels.vector(weights) : StepKernels.scalar(weights);
        StepKernel batched = kind.equals("vector") ? StepKernels.vector(weights) : StepKernels.scalar(weights);
        // More keys than one block, and not a multiple of any tile.
        int keys = 71;
        RecurrentState[] a = new RecurrentState[keys];
        RecurrentState[] b = new RecurrentState[keys];
        float[][] inputs = new float[keys][1];
        float[][] outsA = new float[keys][spec.outputs()];
        float[][] outsB = new float[keys][spec.outputs()];
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

    /**
     * Both kernels clamp a Gaussian head's log-sd as the loss did in training: head biases far
     * outside [-7, 7] give exactly e^-7 and e^7, and the means are untouched.
     */
    @ParameterizedTest
    @CsvSource({"scalar", "vector"})
    void gaussianSpreadsAreClampedLikeTheLoss(String kind) {
        ModelSpec spec = ModelSpec.of(CellType.LSTM, 16, 1, 4).withHead(HeadKind.GAUSSIAN);
        CellWeights w = RandomModels.weights(spec, 2L);
        float[] headB = w.headB().clone();
        headB[4] = 40f;
        headB[5] = -40f;
        CellWeights clamped = new CellWeights(spec, w.w(), w.rw(), w.b(), w.headW(), headB);
        StepKernel kernel = kind.equals("vector") ? StepKernels.vector(clamped) : StepKernels.scalar(clamped);
        StepKernel reference = StepKernels.scalar(w);
        float[] out = new float[8];
        float[] ref = new float[8];
        kernel.step(RecurrentState.zeros(spec), new float[] {0.7f}, out);
        reference.step(RecurrentState.zeros(spec), new float[] {0.7f}, ref);
        // The vector head's float exp is within a few 1e-7 of Math.exp, relatively.
        assertEquals(HeadKind.MAX_LOG_SD, Math.log(out[4]), 3e-7);
        assertEquals(HeadKind.MIN_LOG_SD, Math.log(out[5]), 3e-7);
        for (int k = 0; k < 4; k++) {
            assertEquals(ref[k], out[k], 1e-6, "mean " + k);
        }
        assertEquals(Math.log(ref[6]), Math.log(out[6]), 1e-6);
    }

    @ParameterizedTest(name = "rows={0}, panels={1}")
    @CsvSource({"2, 1", "3, 2", "5, 4", "65, 4", "66, 3", "130, 5"})
    void denominatorsWorkedIntoTheProductEqualTheProductThenItsDenominators(int rows, int panels) {
        Random random = new Random(rows * 31L + panels);
        int cols = panels * VectorPanels.PANEL;
        float[][] w = new float[rows][cols];
        for (float[] row : w) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) random.nextGaussian() / 4;
            }
        }
        AlignedFloats.Slice packed = VectorPanels.pack(rows, cols, (r, c) -> w[r][c]);
        float[] bias = new float[cols];
        float[] xh = new float[rows];
        for (int c = 0; c < cols; c++) {
            bias[c] = (float) random.nextGaussian() * 3;
        }
        for (int r = 0; r < rows; r++) {
            xh[r] = (float) random.nextGaussian() * 3;
        }
        for (boolean reverse : new boolean[] {false, true}) {
            float[] expected = new float[cols];
            VectorPanels.multiply(packed, bias, 0, panels, rows, xh, expected, 0, false);
            VectorPanels.denominators(expected, 0, cols);
            float[] actual = new float[cols];
            VectorPanels.multiplyDenominators(packed, bias, 0, panels, rows, xh, actual, 0, reverse);
            assertArrayEquals(expected, actual, "reverse=" + reverse);
        }
    }

    @Test
    void vectorSigmoidDenominatorIsAccurate() {
        assertVectorExpAccurate(-25f, 25f, a -> VectorPanels.denominators(a, 0, a.length),
                x -> 1 + Math.exp(Math.max(-20, Math.min(20, x))));
    }

    @Test
    void vectorSpreadExpIsAccurateAndClamped() {
        assertVectorExpAccurate(-10f, 10f,
                a -> VectorPanels.exps(a, 0, a.length, (float) HeadKind.MAX_LOG_SD, 0f),
                HeadKind::sd);
    }

    /** {@code transform} on a grid over [from, to] is within 3e-7 of {@code expected}, relatively. */
    private static void assertVectorExpAccurate(float from, float to, Consumer<float[]> transform,
            DoubleUnaryOperator expected) {
        int n = 4096 * VectorPanels.L;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = from + (to - from) * i / (n - 1);
        }
        float[] y = x.clone();
        transform.accept(y);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = expected.applyAsDouble(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - e) / e);
        }
        assertTrue(worst < 3e-7, "relative error " + worst);
    }
}
