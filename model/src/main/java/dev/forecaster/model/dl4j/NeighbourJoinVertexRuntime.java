package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The computation of {@link NeighbourJoinVertex}: two shifted copies forward, their transposes back. */
final class NeighbourJoinVertexRuntime extends BaseGraphVertex {

    NeighbourJoinVertexRuntime(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("NeighbourJoinVertex " + vertexName + ": inputs not set");
        }
        INDArray forward = inputs[0];
        INDArray backward = inputs[1];
        long mb = forward.size(0);
        long f = forward.size(1);
        long b = backward.size(1);
        long steps = forward.size(2);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, forward.dataType(), new long[] {mb, f + b, steps}, 'c');
        if (steps > 1) {
            // out[:, forward part, t] = forward[:, :, t-1]; out[:, backward part, t] = backward[:, :, t+1]
            out.get(all(), NDArrayIndex.interval(0, f), NDArrayIndex.interval(1, steps))
                    .assign(forward.get(all(), all(), NDArrayIndex.interval(0, steps - 1)));
            out.get(all(), NDArrayIndex.interval(f, f + b), NDArrayIndex.interval(0, steps - 1))
                    .assign(backward.get(all(), all(), NDArrayIndex.interval(1, steps)));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("NeighbourJoinVertex " + vertexName + ": epsilon not set");
        }
        long mb = inputs[0].size(0);
        long f = inputs[0].size(1);
        long b = inputs[1].size(1);
        long steps = inputs[0].size(2);
        INDArray epsForward = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                new long[] {mb, f, steps}, 'c');
        INDArray epsBackward = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                new long[] {mb, b, steps}, 'c');
        if (steps > 1) {
            epsForward.get(all(), all(), NDArrayIndex.interval(0, steps - 1))
                    .assign(epsilon.get(all(), NDArrayIndex.interval(0, f), NDArrayIndex.interval(1, steps)));
            epsBackward.get(all(), all(), NDArrayIndex.interval(1, steps))
                    .assign(epsilon.get(all(), NDArrayIndex.interval(f, f + b), NDArrayIndex.interval(0, steps - 1)));
        }
        return new Pair<>(new DefaultGradient(), new INDArray[] {epsForward, epsBackward});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalArgumentException("NeighbourJoinVertex has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        // Masks are never used: every window is complete.
        return new Pair<>(maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "NeighbourJoinVertex(name=" + vertexName + ")";
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
