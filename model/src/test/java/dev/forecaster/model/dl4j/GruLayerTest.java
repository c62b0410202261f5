package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.train.TrainingOptions;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SameDiff GRU layer inside DL4J: gradients, recurrent state, parameters. */
class GruLayerTest {

    /** SameDiff's gradients of two stacked GRU layers and a head against central differences, in double. */
    @Test
    void gradientsMatchFiniteDifferences() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new GruLayer(2, 4))
                .layer(new GruLayer(4, 3))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).dataFormat(RNNFormat.NCW).activation(Activation.IDENTITY)
                        .nIn(3).nOut(2).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomise(net, 0.6, 2L);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 3, 2, 5).subi(0.5).muli(2);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 2, 5);
        // The check insists on double as ND4J's default type; it is global, so put it back after.
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloat = Nd4j.defaultFloatingPointType();
        boolean ok;
        try {
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                    .net(net).input(input).labels(labels)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultFloat);
        }
        assertTrue(ok, "gradient check failed (details in the log)");
    }

    /**
     * Truncated BPTT runs segment after segment through {@code rnnActivateUsingStoredState}, moving
     * the last state of each into the next; so must the GRU, or every segment would restart from
     * zero. Segments then reproduce the whole sequence's output.
     */
    @Test
    void storedStateCarriesFromSegmentToSegmentAsInTruncatedBptt() {
        ModelSpec spec = ModelSpec.of(CellType.GRU, 6, 2, 3);
        MultiLayerNetwork net = Dl4jModels.build(spec, 5L, options());
        randomise(net, 0.5, 5L);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 1, 10).subi(0.5).muli(4);
        INDArray whole = net.output(input);

        net.rnnClearPreviousState();
        List<INDArray> first = net.rnnActivateUsingStoredState(
                input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 6)), true, true);
        net.updateRnnStateWithTBPTTState();
        List<INDArray> second = net.rnnActivateUsingStoredState(
                input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(6, 10)), true, true);
        INDArray joined = Nd4j.concat(2, first.get(first.size() - 1), second.get(second.size() - 1));
        assertArrayEquals(whole.dup('c').data().asFloat(), joined.dup('c').data().asFloat(), 1e-6f);

        // And a fresh start differs, so the comparison above did depend on the carried state.
        net.rnnClearPreviousState();
        List<INDArray> cold = net.rnnActivateUsingStoredState(
                input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(6, 10)), true, true);
        assertNotEquals(second.get(second.size() - 1), cold.get(cold.size() - 1));
    }

    @Test
    void rnnTimeStepContinuesFromTheStoredStateAndClears() {
        ModelSpec spec = ModelSpec.of(CellType.GRU, 5, 1, 2);
        MultiLayerNetwork net = Dl4jModels.build(spec, 6L, options());
        randomise(net, 0.5, 6L);
        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 1, 7);
        INDArray whole = net.output(input);
        net.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = net.rnnTimeStep(input.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(t, t + 1)));
            for (int k = 0; k < 2; k++) {
                assertEquals(whole.getFloat(0, k, t), step.getFloat(0, k, 0), 1e-6f, "step " + t);
            }
        }
        net.rnnClearPreviousState();
        INDArray first = net.rnnTimeStep(input.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 1)));
        assertEquals(whole.getFloat(0, 0, 0), first.getFloat(0, 0, 0), 1e-6f);
    }

    @Test
    void setParamWritesTheValueAndInitialisationIsSeeded() {
        ModelSpec spec = ModelSpec.of(CellType.GRU, 4, 1, 2);
        MultiLayerNetwork a = Dl4jModels.build(spec, 9L, options());
        MultiLayerNetwork b = Dl4jModels.build(spec, 9L, options());
        assertEquals(a.params(), b.params());
        INDArray rw = a.getParam("0_RW");
        assertArrayEquals(new long[] {4, 12}, rw.shape());
        assertEquals(0.0, a.getParam("0_b").sumNumber().doubleValue());
        assertTrue(rw.std(true).getDouble(0) > 0.1, "Xavier-initialised");

        INDArray value = Nd4j.linspace(DataType.FLOAT, 1, 48, 1).reshape(4, 12);
        a.setParam("0_RW", value);
        assertEquals(value, a.getParam("0_RW"));
        assertNotEquals(a.params(), b.params());
    }

    private static TrainingOptions options() {
        return TrainingOptions.builder().cellType(CellType.GRU).tbpttLength(4).build();
    }

    /** Every parameter random, biases included (they start at zero). */
    static void randomise(MultiLayerNetwork net, double scale, long seed) {
        Random random = new Random(seed);
        INDArray params = net.params();
        double[] values = new double[(int) params.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * scale;
        }
        net.setParams(Nd4j.create(values, params.shape(), 'c').castTo(params.dataType()));
    }
}
