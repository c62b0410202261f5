package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel against DL4J's forward pass, for every cell type at depths 1 and 2 and both heads
 * (for the Gaussian head, the kernel's standard deviations against DL4J's log-sd output, compared
 * as logs: the kernel returns exp(clamp(log-sd))):
 * the kernel this JVM selects, the scalar and the vector kernel each stepping keys one by one, and
 * the scalar and vector batch paths, all in lockstep with {@code rnnTimeStep} on a minibatch of
 * keys, for {@value #STEPS} steps.
 */
class Dl4jEquivalenceTest {

    private static final int STEPS = 1000;
    private static final double TOLERANCE = 1e-5;
    /** Keys stepped together: more than one tile of the batch path, and not a multiple of one. */
    private static final int KEYS = 5;

    @ParameterizedTest(name = "{0}, {1} layer(s) of {2}, horizon {3}, {4} head, calendar inputs {5}")
    @CsvSource({
        "LSTM, 1, 64, 24, POINT, false", "LSTM, 2, 16, 5, POINT, false",
        "GRU, 1, 32, 24, POINT, false", "GRU, 2, 12, 5, POINT, false",
        "RNN, 1, 64, 24, POINT, false", "RNN, 2, 20, 5, POINT, false",
        "LSTM, 1, 64, 24, GAUSSIAN, false", "LSTM, 2, 16, 5, GAUSSIAN, false",
        "GRU, 1, 32, 24, GAUSSIAN, false", "GRU, 2, 12, 5, GAUSSIAN, false",
        "RNN, 1, 64, 24, GAUSSIAN, false", "RNN, 2, 20, 5, GAUSSIAN, false",
        // Five inputs per step (the value, hour and day of week as sin/cos) in the first layer.
        "LSTM, 2, 16, 5, POINT, true", "GRU, 1, 32, 24, GAUSSIAN, true", "RNN, 2, 20, 5, POINT, true"})
    void everyKernelMatchesDl4j(CellType cell, int layers, int hidden, int horizon, HeadKind head, boolean calendar) {
        ModelSpec spec = ModelSpec.of(cell, hidden, layers, horizon).withHead(head);
        if (calendar) {
            spec = spec.withFeatures(InputFeatures.parse("hour_of_day,day_of_week", "UTC"));
        }
        MultiLayerNetwork net = randomNetwork(spec, 11L * hidden + layers);
        LstmForecaster forecaster = LstmForecaster.fromSnapshot(snapshot(net, spec));
        double worst = maxDeviation(net, forecaster);
        System.out.printf("%s: max |DL4J - kernel| over %d steps, all kernels and paths = %.3g%n",
                spec, STEPS, worst);
    }

    /**
     * The test above must be able to fail: a kernel reading two gate blocks swapped (for the
     * one-block Elman cell, the recurrent matrix transposed) drifts far from DL4J.
     */
    @ParameterizedTest(name = "{0}, {3} head")
    @CsvSource({"LSTM, 1, 2, POINT", "LSTM, 3, 0, POINT", "GRU, 0, 1, POINT", "GRU, 1, 2, POINT", "RNN, -1, -1, POINT",
        "LSTM, 1, 2, GAUSSIAN", "GRU, 1, 2, GAUSSIAN", "RNN, -1, -1, GAUSSIAN"})
    void aKernelWithTheGateBlocksMixedUpIsCaught(CellType cell, int blockA, int blockB, HeadKind head) {
        ModelSpec spec = ModelSpec.of(cell, 16, 1, 5).withHead(head);
        MultiLayerNetwork net = randomNetwork(spec, 3L);
        ModelSnapshot wrong = blockA < 0 ? transposeRecurrent(snapshot(net, spec), spec)
                : swapBlocks(snapshot(net, spec), spec, blockA, blockB);
        LstmForecaster forecaster = LstmForecaster.fromSnapshot(wrong);
        AssertionError e = null;
        try {
            maxDeviation(net, forecaster);
        } catch (AssertionError expected) {
            e = expected;
        }
        assertTrue(e != null, "a kernel with mixed-up blocks passed as equivalent");
        assertTrue(e.getMessage().contains("DL4J"), e.getMessage());
    }

    /**
     * A kernel that read a Gaussian head as a point head, or confused its halves, must fail too: a
     * snapshot whose head has the mean and log-sd columns swapped differs from DL4J's network.
     */
    @Test
    void aGaussianHeadWithItsHalvesSwappedIsCaught() {
        ModelSpec spec = ModelSpec.of(CellType.GRU, 16, 1, 5).withHead(HeadKind.GAUSSIAN);
        MultiLayerNetwork net = randomNetwork(spec, 4L);
        LstmForecaster forecaster = LstmForecaster.fromSnapshot(swapHeadHalves(snapshot(net, spec), spec));
        AssertionError e = assertThrows(AssertionError.class, () -> maxDeviation(net, forecaster));
        assertTrue(e.getMessage().contains("DL4J"), e.getMessage());
    }

    /** The head's mean and log-sd columns exchanged in W and b. */
    private static ModelSnapshot swapHeadHalves(ModelSnapshot snapshot, ModelSpec spec) {
        int horizon = spec.horizon();
        int cols = spec.outputs();
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : snapshot.getTensors()) {
            String name = t.getName();
            if (!name.equals(Tensors.headWeights(spec.layers())) && !name.equals(Tensors.headBias(spec.layers()))) {
                tensors.add(t);
                continue;
            }
            int[] shape = Tensors.shape(t);
            float[] v = Tensors.floats(snapshot, name, shape);
            for (int r = 0; r < v.length / cols; r++) {
                for (int j = 0; j < horizon; j++) {
                    float tmp = v[r * cols + j];
                    v[r * cols + j] = v[r * cols + horizon + j];
                    v[r * cols + horizon + j] = tmp;
                }
            }
            tensors.add(Tensors.of(name, v, shape));
        }
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }

    /**
     * Every parameter, biases included, gets a distinct random value: DL4J's initialisation has zero
     * biases on most blocks, which would hide a mix-up of blocks. Scaled by 1/√H so that the
     * recurrence stays stable at every width: a chaotic one amplifies float rounding until any two
     * correct implementations part. The gates keep a gated cell stable at twice the scale that an
     * Elman cell tolerates (its recurrent matrix's spectral radius is about the factor).
     */
    static MultiLayerNetwork randomNetwork(ModelSpec spec, long seed) {
        MultiLayerNetwork net = Dl4jModels.build(spec, seed, TrainingOptions.defaults().toBuilder()
                .cellType(spec.cellType()).build());
        Random random = new Random(seed);
        double scale = (spec.cellType() == CellType.RNN ? 0.9 : 2.0) / Math.sqrt(spec.hiddenSize());
        float[] params = new float[(int) net.numParams()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * scale);
        }
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));
        return net;
    }

    static ModelSnapshot snapshot(MultiLayerNetwork net, ModelSpec spec) {
        return Dl4jModels.toSnapshot(net, spec, "equivalence", 1L, null, null);
    }

    /**
     * Steps DL4J and every kernel and path {@value #STEPS} times over {@value #KEYS} keys with
     * mostly moderate inputs and occasional large ones (so that gates saturate at times).
     *
     * @return the largest deviation from DL4J
     * @throws AssertionError at the first deviation above the tolerance
     */
    private static double maxDeviation(MultiLayerNetwork net, LstmForecaster forecaster) {
        ModelSpec spec = forecaster.spec();
        CellWeights weights = forecaster.weights();
        StepKernel[] single = {null, StepKernels.scalar(weights), StepKernels.vector(weights)};
        String[] singleNames = {"selected (" + forecaster.kernelName() + ")", "scalar", "vector"};
        StepKernel[] batched = {StepKernels.scalar(weights), StepKernels.vector(weights)};
        String[] batchNames = {"scalar batch", "vector batch"};
        List<RecurrentState[]> states = new ArrayList<>();
        for (int m = 0; m < single.length + batched.length; m++) {
            RecurrentState[] s = new RecurrentState[KEYS];
            for (int k = 0; k < KEYS; k++) {
                s[k] = forecaster.newState();
            }
            states.add(s);
        }
        int horizon = spec.horizon();
        int outputs = spec.outputs();
        int inputs = spec.inputSize();
        float[][] in = new float[KEYS][inputs];
        float[] x = new float[KEYS * inputs];
        float[][] outs = new float[KEYS][outputs];
        Random random = new Random(spec.hiddenSize() * 31L + spec.layers());

        net.rnnClearPreviousState();
        double worst = 0;
        double sumAbs = 0;
        long spreads = 0;
        long informativeSpreads = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int k = 0; k < KEYS; k++) {
                RandomModels.input(random, t + k, in[k]);
                System.arraycopy(in[k], 0, x, k * inputs, inputs);
            }
            INDArray expected = net.rnnTimeStep(Nd4j.create(x, new long[] {KEYS, inputs, 1}, 'c'));
            assertEquals((long) KEYS * outputs, expected.length());
            for (int m = 0; m < single.length + batched.length; m++) {
                RecurrentState[] s = states.get(m);
                String name;
                if (m < single.length) {
                    name = singleNames[m];
                    for (int k = 0; k < KEYS; k++) {
                        if (single[m] == null) {
                            forecaster.step(s[k], in[k], outs[k]);
                        } else {
                            single[m].step(s[k], in[k], outs[k]);
                        }
                    }
                } else {
                    name = batchNames[m - single.length];
                    batched[m - single.length].stepBatch(s, in, outs, KEYS);
                }
                for (int k = 0; k < KEYS; k++) {
                    for (int j = 0; j < outputs; j++) {
                        // Means as they are; a Gaussian head's spreads as clamped log-sds.
                        boolean spread = j >= horizon;
                        double e = spread ? HeadKind.clampLogSd(expected.getDouble(k, j, 0)) : expected.getDouble(k, j, 0);
                        double got = spread ? Math.log(outs[k][j]) : outs[k][j];
                        double diff = Math.abs(e - got);
                        worst = Math.max(worst, diff);
                        if (m == 0 && !spread) {
                            sumAbs += Math.abs(e);
                        }
                        if (m == 0 && spread) {
                            spreads++;
                            double raw = expected.getDouble(k, j, 0);
                            if (raw > HeadKind.MIN_LOG_SD && raw < HeadKind.MAX_LOG_SD && Math.abs(raw) > 0.05) {
                                informativeSpreads++;
                            }
                        }
                        if (!(diff <= TOLERANCE)) {
                            fail(spec + ", " + name + " kernel, step " + t + ", key " + k + ", output " + j
                                    + (spread ? " (log-sd)" : "") + ": DL4J " + e + ", kernel " + got + " (diff " + diff + ")");
                        }
                    }
                }
            }
        }
        // Guards against a vacuous pass on a network whose outputs are all near zero.
        double meanAbs = sumAbs / ((double) STEPS * KEYS * horizon);
        assertTrue(meanAbs > 0.05, "outputs too small to compare: " + meanAbs);
        // Nor may the spreads pass because they all sit on the clamp, or at sd 1.
        assertTrue(informativeSpreads >= 0.75 * spreads, informativeSpreads + " of " + spreads + " log-sds informative");
        return worst;
    }

    /** The snapshot with pre-activation blocks a and b of layer 0 exchanged in W, RW and b. */
    private static ModelSnapshot swapBlocks(ModelSnapshot snapshot, ModelSpec spec, int a, int b) {
        int h = spec.hiddenSize();
        int cols = spec.cellType().blocks() * h;
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : snapshot.getTensors()) {
            String name = t.getName();
            if (!name.equals(Tensors.inputWeights(0)) && !name.equals(Tensors.recurrentWeights(0))
                    && !name.equals(Tensors.bias(0))) {
                tensors.add(t);
                continue;
            }
            int[] shape = Tensors.shape(t);
            float[] v = Tensors.floats(snapshot, name, shape);
            int rows = v.length / cols;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < h; j++) {
                    int i1 = r * cols + a * h + j;
                    int i2 = r * cols + b * h + j;
                    float tmp = v[i1];
                    v[i1] = v[i2];
                    v[i2] = tmp;
                }
            }
            tensors.add(Tensors.of(name, v, shape));
        }
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }

    private static ModelSnapshot transposeRecurrent(ModelSnapshot snapshot, ModelSpec spec) {
        int h = spec.hiddenSize();
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : snapshot.getTensors()) {
            if (!t.getName().equals(Tensors.recurrentWeights(0))) {
                tensors.add(t);
                continue;
            }
            float[] v = Tensors.floats(snapshot, t.getName(), h, h);
            float[] transposed = new float[v.length];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < h; c++) {
                    transposed[c * h + r] = v[r * h + c];
                }
            }
            tensors.add(Tensors.of(t.getName(), transposed, h, h));
        }
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }
}
