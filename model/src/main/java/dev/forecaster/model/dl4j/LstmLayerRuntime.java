package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code LSTM} runtime, answering {@code backpropGradient} after a forward pass from the
 * stored state (a truncated-BPTT segment) with its own {@code tbpttBackpropGradient}, which starts
 * from that state and honours the backward length: see {@link TruncatedBpttNetwork} for why.
 */
final class LstmLayerRuntime extends LSTM implements TruncatedBackprop {

    private boolean fromStoredState;
    private int backLength = Integer.MAX_VALUE;

    LstmLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void truncateBackpropTo(int steps) {
        backLength = Math.max(1, steps);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        fromStoredState = false;
        return super.activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        fromStoredState = false;
        return super.activate(input, training, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        fromStoredState = true;
        return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (fromStoredState) {
            return super.tbpttBackpropGradient(epsilon, backLength, workspaceMgr);
        }
        return super.backpropGradient(epsilon, workspaceMgr);
    }
}
