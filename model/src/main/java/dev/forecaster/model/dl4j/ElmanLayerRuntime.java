package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * DL4J's {@code SimpleRnn} runtime with truncated BPTT done right. In 1.0.0-M2.1 its {@code
 * tbpttBackpropGradient} recomputes the segment's forward pass from a zero state instead of the state
 * the previous segment left (so every segment after a window's first gets the gradients of another
 * trajectory than the one it was scored on), leaves out the recurrent weights' term at the first
 * step it goes back to, and leaves the input gradient of the steps before that uninitialised. Here a
 * segment goes back through its last {@code tbpttBackLength} steps from the state before them (the
 * stored one, for the segment's first step), that state held constant, as DL4J's LSTM and our GRU
 * do; earlier steps get zero input gradient. Forward passes, {@code rnnTimeStep} and the untruncated
 * {@code backpropGradient} after a plain forward pass (which starts from zero, as it should) are
 * DL4J's.
 */
final class ElmanLayerRuntime extends SimpleRnn implements TruncatedBackprop {

    private boolean fromStoredState;
    private int backLength = Integer.MAX_VALUE;

    ElmanLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
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
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        fromStoredState = true;
        return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
    }

    /**
     * After a forward pass from the stored state (a truncated-BPTT segment, which is all that
     * {@code MultiLayerNetwork} asks this of; see {@link TruncatedBpttNetwork}) the segment's
     * truncated gradient, else DL4J's.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        // DL4J's SimpleRnn.backpropGradient calls tbpttBackpropGradient(ε, -1), which would start from
        // the stored state even after a plain forward pass from zero; so both cases are decided here.
        return fromStoredState
                ? backpropagate(epsilon, backLength, stateMap.get(STATE_KEY_PREV_ACTIVATION), workspaceMgr)
                : backpropagate(epsilon, Integer.MAX_VALUE, null, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        return backpropagate(epsilon, tbpttBackLength, stateMap.get(STATE_KEY_PREV_ACTIVATION), workspaceMgr);
    }

    /** Through the last {@code back} steps (all when ≤ 0), the forward pass recomputed from {@code initial} (null = zeros). */
    private Pair<Gradient, INDArray> backpropagate(INDArray epsilon, int back, INDArray initial,
            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (hasLayerNorm()) {
            throw new UnsupportedOperationException("ElmanLayer does not support layer normalisation");
        }
        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray b = getParamWithNoise(SimpleRnnParamInitializer.BIAS_KEY, true, workspaceMgr);
        INDArray gw = gradientViews.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray grw = gradientViews.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gb = gradientViews.get(SimpleRnnParamInitializer.BIAS_KEY);
        IActivation activation = layerConf().getActivationFn();
        INDArray inputGradient;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = permuteIfNWC(input).castTo(dataType);
            INDArray eps = permuteIfNWC(epsilon).castTo(dataType);
            int steps = Math.toIntExact(x.size(2));
            int start = back > 0 ? Math.max(0, steps - back) : 0;
            INDArray bias = b.reshape(1, b.length());

            INDArray[] xs = new INDArray[steps];
            INDArray[] zs = new INDArray[steps];
            INDArray[] as = new INDArray[steps];
            INDArray previous = initial;
            for (int t = 0; t < steps; t++) {
                xs[t] = x.get(all(), all(), point(t)).dup();
                INDArray z = xs[t].mmul(w).addiRowVector(bias);
                if (previous != null) {
                    z.addi(previous.castTo(dataType).mmul(rw));
                }
                zs[t] = z;
                as[t] = activation.getActivation(z.dup(), true);
                previous = as[t];
            }

            gradientsFlattened.assign(0);
            inputGradient = Nd4j.zeros(dataType, x.size(0), x.size(1), steps);
            INDArray dzNext = null;
            for (int t = steps - 1; t >= start; t--) {
                INDArray da = eps.get(all(), all(), point(t)).dup();
                if (dzNext != null) {
                    da.addi(dzNext.mmul(rw.transpose()));
                }
                INDArray dz = activation.backprop(zs[t].dup(), da).getFirst();
                if (maskArray != null) {
                    dz.muliColumnVector(maskArray.getColumn(t).castTo(dataType));
                }
                gw.addi(xs[t].transpose().mmul(dz));
                gb.addi(dz.sum(true, 0).reshape(gb.shape()));
                INDArray before = t > 0 ? as[t - 1] : initial;
                if (before != null) {
                    grw.addi(before.castTo(dataType).transpose().mmul(dz));
                }
                inputGradient.get(all(), all(), point(t)).assign(dz.mmul(w.transpose()));
                dzNext = dz;
            }
            inputGradient = permuteIfNWC(inputGradient);
        }
        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(SimpleRnnParamInitializer.WEIGHT_KEY, gw);
        gradient.gradientForVariable().put(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, grw);
        gradient.gradientForVariable().put(SimpleRnnParamInitializer.BIAS_KEY, gb);
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputGradient));
    }
}
