package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Joins a forward and a backward recurrent summary so that step t sees its neighbours but never
 * itself: the output at t is the forward input at t-1 stacked on the backward input at t+1, with
 * zeros where a neighbour does not exist (t = 0 has no past, the last step no future).
 *
 * <p>Inputs, both [minibatch, size, T] in time order: 0, the forward stack's output, whose step t
 * has read x_0..x_t; 1, the backward stack's output re-reversed into time order, whose step t has
 * read x_t..x_{T-1}. The output [minibatch, size0 + size1, T] at step t has therefore read x_s for
 * every s except t, which is what an interpolation head needs: the plain concatenation would let
 * the head copy x_t and learn the identity. No parameters.
 */
public class NeighbourJoinVertex extends GraphVertex {

    private static final long serialVersionUID = 1L;

    @Override
    public NeighbourJoinVertex clone() {
        return new NeighbourJoinVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeighbourJoinVertex;
    }

    @Override
    public int hashCode() {
        return NeighbourJoinVertex.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new NeighbourJoinVertexRuntime(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 2
                || !(vertexInputs[0] instanceof InputType.InputTypeRecurrent forward)
                || !(vertexInputs[1] instanceof InputType.InputTypeRecurrent backward)) {
            throw new InvalidInputTypeException("NeighbourJoinVertex joins two recurrent inputs");
        }
        return InputType.recurrent(forward.getSize() + backward.getSize(), forward.getTimeSeriesLength());
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, NeighbourJoinVertex.class, inputTypes[0], out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public String toString() {
        return "NeighbourJoinVertex()";
    }
}
