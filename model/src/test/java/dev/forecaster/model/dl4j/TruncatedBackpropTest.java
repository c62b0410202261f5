package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Truncated BPTT with a backward length shorter than the segment, for every cell: the gradients of
 * a recurrent layer are those of its last {@code back} steps' errors, flowing back from the state
 * before them held constant, and the earlier steps get no input gradient. Checked against central
 * differences of exactly that loss, in double: the layer is stepped over the first steps with the
 * parameters unperturbed, and its state is then held while the perturbed parameters run the rest.
 * The segment starts from the state a previous segment left, as every segment of a window but the
 * first does. DL4J's LSTM passes the same check, so the GRU truncates as it does; DL4J's SimpleRnn
 * fails it (see {@link ElmanLayerRuntime}), which is why the Elman cell runs on {@link ElmanLayer}.
 */
class TruncatedBackpropTest {

    private static final int STEPS = 7;
    private static final int BACK = 3;
    private static final double DELTA = 1e-6;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void aShorterBackwardPassIsTheGradientOfTheLastStepsFromAHeldState(CellType cell) {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork net = tbpttNetwork(cell, STEPS);
        RecurrentLayer layer = (RecurrentLayer) net.getLayer(0);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 2, 2, STEPS).subi(0.5).muli(3);
        INDArray epsilon = Nd4j.rand(DataType.DOUBLE, 2, 4, STEPS).subi(0.5);
        Map<String, INDArray> previous = previousSegmentState(layer);

        Analytic truncated = analytic(layer, previous, input, epsilon, BACK);
        Map<String, double[]> numeric = numericParameterGradients(layer, previous, input, epsilon, STEPS - BACK);
        for (Map.Entry<String, double[]> e : numeric.entrySet()) {
            assertClose(e.getValue(), truncated.params.get(e.getKey()), cell + " " + e.getKey());
        }
        double[] inputNumeric = numericInputGradient(layer, previous, input, epsilon, STEPS - BACK);
        assertClose(inputNumeric, truncated.input, cell + " input");
        for (int i = 0; i < inputNumeric.length; i++) {
            int step = i % STEPS; // 'c' order of [mb, nIn, T]: time is the fastest axis
            if (step < STEPS - BACK) {
                assertEquals(0.0, truncated.input[i], cell + ": no input gradient before the backward window");
            }
        }

        // The whole segment is the same check from the initial state, and its gradients differ:
        // the truncation above was not a no-op.
        Analytic whole = analytic(layer, previous, input, epsilon, STEPS);
        Map<String, double[]> wholeNumeric = numericParameterGradients(layer, previous, input, epsilon, 0);
        for (Map.Entry<String, double[]> e : wholeNumeric.entrySet()) {
            assertClose(e.getValue(), whole.params.get(e.getKey()), cell + " whole " + e.getKey());
        }
        assertTrue(maxDifference(whole.params.get("RW"), truncated.params.get("RW")) > 1e-3,
                cell + ": recurrent weights' gradients should depend on the backward length");
    }

    /**
     * Through the network: the second segment of a window, after the first has left its state, gets
     * the gradient of its own loss (DL4J's score) from that state held constant, checked against
     * central differences of the score with the state held; and a shorter backward length changes
     * the recurrent layer's gradients but not the head's.
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void theNetworkTrainsEachSegmentFromTheStateThePreviousOneLeft(CellType cell) {
        Nd4j.getRandom().setSeed(6);
        INDArray first = Nd4j.rand(DataType.DOUBLE, 2, 2, 4).subi(0.5).muli(3);
        INDArray second = Nd4j.rand(DataType.DOUBLE, 2, 2, 4).subi(0.5).muli(3);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 2, 4);

        MultiLayerNetwork net = tbpttNetwork(cell, 4);
        Map<String, INDArray> held = afterFirstSegment(net, first);
        double[] analytic = segmentGradient(net, held, second, labels);
        INDArray params = net.params();
        double[] numeric = new double[analytic.length];
        for (int i = 0; i < numeric.length; i++) {
            double v = params.getDouble(i);
            params.putScalar(i, v + DELTA);
            double up = segmentScore(net, held, second, labels);
            params.putScalar(i, v - DELTA);
            double down = segmentScore(net, held, second, labels);
            params.putScalar(i, v);
            numeric[i] = (up - down) / (2 * DELTA);
        }
        assertClose(numeric, analytic, cell + " network gradient of the second segment");

        MultiLayerNetwork shorter = tbpttNetwork(cell, 2);
        double[] truncated = segmentGradient(shorter, afterFirstSegment(shorter, first), second, labels);
        long recurrent = net.getLayer(0).numParams();
        double[] head = java.util.Arrays.copyOfRange(analytic, (int) recurrent, analytic.length);
        assertClose(head, java.util.Arrays.copyOfRange(truncated, (int) recurrent, truncated.length), cell + " head");
        assertTrue(maxDifference(java.util.Arrays.copyOf(analytic, (int) recurrent),
                java.util.Arrays.copyOf(truncated, (int) recurrent)) > 1e-4,
                cell + ": the backward length should reach the recurrent layer");
    }

    /** One recurrent layer of 4 units on 2 inputs and a head of 2, TBPTT segments of 4 steps. */
    private static MultiLayerNetwork tbpttNetwork(CellType cell, int back) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(Dl4jModels.recurrentLayer(cell, 2, 4, false))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).dataFormat(RNNFormat.NCW)
                        .activation(Activation.IDENTITY).nIn(4).nOut(2).build())
                .tBPTTForwardLength(4)
                .tBPTTBackwardLength(back)
                .backpropType(BackpropType.TruncatedBPTT)
                .build();
        MultiLayerNetwork net = Dl4jModels.network(conf);
        net.init();
        net.initGradientsView(); // layers write their gradients into views of it
        GruLayerTest.randomise(net, 0.6, 11L);
        return net;
    }

    private static Map<String, INDArray> afterFirstSegment(MultiLayerNetwork net, INDArray first) {
        net.rnnClearPreviousState();
        net.rnnActivateUsingStoredState(first, true, true);
        net.updateRnnStateWithTBPTTState();
        return copy(((RecurrentLayer) net.getLayer(0)).rnnGetPreviousState());
    }

    /** The gradient of {@link #segmentScore}: DL4J's sums over the minibatch, its score averages. */
    private static double[] segmentGradient(MultiLayerNetwork net, Map<String, INDArray> held, INDArray input,
            INDArray labels) {
        segmentScore(net, held, input, labels);
        double[] g = net.gradient().gradient().dup().data().asDouble();
        for (int i = 0; i < g.length; i++) {
            g[i] /= input.size(0);
        }
        return g;
    }

    /**
     * DL4J's score of one TBPTT segment, which starts from {@code held}. Both state maps get it, as
     * {@code updateRnnStateWithTBPTTState} leaves them between segments: DL4J 1.0.0-M2.1's LSTM and
     * SimpleRnn read a segment's initial state for the forward pass from the TBPTT map.
     */
    private static double segmentScore(MultiLayerNetwork net, Map<String, INDArray> held, INDArray input,
            INDArray labels) {
        ((RecurrentLayer) net.getLayer(0)).rnnSetPreviousState(copy(held));
        ((RecurrentLayer) net.getLayer(0)).rnnSetTBPTTState(copy(held));
        net.setInput(input);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.score();
    }

    private record Analytic(Map<String, double[]> params, double[] input) {}

    /** The state a previous segment leaves, which the segment under test starts from. */
    private static Map<String, INDArray> previousSegmentState(RecurrentLayer layer) {
        layer.rnnClearPreviousState();
        layer.rnnTimeStep(Nd4j.rand(DataType.DOUBLE, 2, 2, 4).subi(0.5).muli(3), LayerWorkspaceMgr.noWorkspaces());
        return copy(layer.rnnGetPreviousState());
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> state) {
        Map<String, INDArray> copy = new HashMap<>();
        state.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    private static Analytic analytic(RecurrentLayer layer, Map<String, INDArray> previous, INDArray input,
            INDArray epsilon, int back) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.rnnSetPreviousState(copy(previous));
        layer.rnnActivateUsingStoredState(input, true, true, mgr);
        Pair<Gradient, INDArray> p = layer.tbpttBackpropGradient(epsilon.dup(), back, mgr);
        Map<String, double[]> params = new TreeMap<>();
        for (Map.Entry<String, INDArray> e : p.getFirst().gradientForVariable().entrySet()) {
            params.put(e.getKey(), e.getValue().dup('c').data().asDouble());
        }
        return new Analytic(params, p.getSecond().dup('c').data().asDouble());
    }

    /** Central differences of Σ out∘ε over steps [start, T), the state before {@code start} unperturbed. */
    private static Map<String, double[]> numericParameterGradients(RecurrentLayer layer,
            Map<String, INDArray> previous, INDArray input, INDArray epsilon, int start) {
        Map<String, INDArray> held = stateBefore(layer, previous, input, start);
        Map<String, double[]> result = new TreeMap<>();
        for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
            INDArray param = e.getValue();
            double[] g = new double[(int) param.length()];
            for (int i = 0; i < g.length; i++) {
                long[] at = cOrderIndex(param.shape(), i);
                double v = param.getDouble(at);
                param.putScalar(at, v + DELTA);
                double up = tailLoss(layer, input, epsilon, start, held);
                param.putScalar(at, v - DELTA);
                double down = tailLoss(layer, input, epsilon, start, held);
                param.putScalar(at, v);
                g[i] = (up - down) / (2 * DELTA);
            }
            result.put(e.getKey(), g);
        }
        return result;
    }

    private static double[] numericInputGradient(RecurrentLayer layer, Map<String, INDArray> previous,
            INDArray input, INDArray epsilon, int start) {
        INDArray x = input.dup('c');
        Map<String, INDArray> held = stateBefore(layer, previous, x, start);
        double[] g = new double[(int) x.length()];
        for (int i = 0; i < g.length; i++) {
            if (i % STEPS < start) {
                continue; // earlier inputs only move the held state
            }
            long[] at = cOrderIndex(x.shape(), i);
            double v = x.getDouble(at);
            x.putScalar(at, v + DELTA);
            double up = tailLoss(layer, x, epsilon, start, held);
            x.putScalar(at, v - DELTA);
            double down = tailLoss(layer, x, epsilon, start, held);
            x.putScalar(at, v);
            g[i] = (up - down) / (2 * DELTA);
        }
        return g;
    }

    private static Map<String, INDArray> stateBefore(RecurrentLayer layer, Map<String, INDArray> previous,
            INDArray input, int start) {
        layer.rnnSetPreviousState(copy(previous));
        if (start > 0) {
            layer.rnnTimeStep(input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, start)).dup(),
                    LayerWorkspaceMgr.noWorkspaces());
        }
        return copy(layer.rnnGetPreviousState());
    }

    private static double tailLoss(RecurrentLayer layer, INDArray input, INDArray epsilon, int start,
            Map<String, INDArray> held) {
        layer.rnnSetPreviousState(copy(held));
        INDArray tail = input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, STEPS)).dup();
        INDArray out = layer.rnnTimeStep(tail, LayerWorkspaceMgr.noWorkspaces());
        INDArray eps = epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, STEPS));
        return out.mul(eps).sumNumber().doubleValue();
    }

    /** The indices of element {@code i} in row-major order, the order of {@code dup('c')}'s data. */
    private static long[] cOrderIndex(long[] shape, long i) {
        long[] at = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = i % shape[d];
            i /= shape[d];
        }
        return at;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
            double error = Math.abs(expected[i] - actual[i]);
            assertTrue(error <= 1e-8 || error / scale <= 1e-5,
                    what + "[" + i + "]: numeric " + expected[i] + ", analytic " + actual[i]);
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
