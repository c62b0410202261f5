package dev.forecaster.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class NeighbourJoinVertexTest {

    private static final int H = 3;
    private static final int T = 10;

    /** The vertex alone: forward at t-1 and backward at t+1, zeros at the edges; gradients are its transpose. */
    @Test
    void shiftsEachDirectionTowardsTheStepItInforms() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("f", "b")
                .setInputTypes(InputType.recurrent(H), InputType.recurrent(H))
                .addVertex("join", new NeighbourJoinVertex(), "f", "b")
                .setOutputs("join")
                .build());
        net.init();
        INDArray f = Nd4j.rand(DataType.DOUBLE, 2, H, T);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 2, H, T);
        INDArray out = net.outputSingle(f, b);
        assertEquals(2 * H, out.size(1));
        for (int m = 0; m < 2; m++) {
            for (int h = 0; h < H; h++) {
                assertEquals(0.0, out.getDouble(m, h, 0));
                assertEquals(0.0, out.getDouble(m, H + h, T - 1));
                for (int t = 1; t < T; t++) {
                    assertEquals(f.getDouble(m, h, t - 1), out.getDouble(m, h, t));
                    assertEquals(b.getDouble(m, h, t), out.getDouble(m, H + h, t - 1));
                }
            }
        }
    }

    /**
     * Why the interpolation network keeps one stack per direction: two of DL4J's {@code
     * Bidirectional} layers stacked, then the same shift, still read x_t at step t (layer 2's
     * forward pass reads layer 1's backward state, which has read the future).
     */
    @Test
    void stackedBidirectionalWrappersWouldLeakXt() {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.recurrent(1))
                .addLayer("bi0", new Bidirectional(Bidirectional.Mode.CONCAT,
                        new LSTM.Builder().nIn(1).nOut(H).activation(Activation.TANH).build()), "x")
                .addLayer("bi1", new Bidirectional(Bidirectional.Mode.CONCAT,
                        new LSTM.Builder().nIn(2 * H).nOut(H).activation(Activation.TANH).build()), "bi0")
                .addVertex("fwd", new SubsetVertex(0, H - 1), "bi1")
                .addVertex("bwd", new SubsetVertex(H, 2 * H - 1), "bi1")
                .addVertex("join", new NeighbourJoinVertex(), "fwd", "bwd")
                .addLayer("head", new RnnOutputLayer.Builder(LossFunction.MSE).dataFormat(RNNFormat.NCW)
                        .activation(Activation.IDENTITY).nIn(2 * H).nOut(1).build(), "join")
                .setOutputs("head");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 1, T);
        int t = T / 2;
        double before = net.outputSingle(x).getDouble(0, 0, t);
        INDArray moved = x.dup();
        moved.putScalar(new long[] {0, 0, t}, x.getDouble(0, 0, t) + 8.0);
        double after = net.outputSingle(moved).getDouble(0, 0, t);
        assertTrue(Math.abs(after - before) > 1e-6, "stacked wrappers read x_t: " + before + " vs " + after);
    }
}
