package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A GRU layer for DL4J's {@code MultiLayerNetwork}, which has none (1.0.0-M2.1 offers LSTM,
 * GravesLSTM and SimpleRnn only): the cell is defined as a SameDiff graph and SameDiff's autodiff
 * supplies the gradients.
 *
 * <p><b>Variant.</b> The original GRU of Cho et al. (2014), the reset gate applied to h <em>before</em>
 * the recurrent product of the candidate (not the cuDNN / "linear_before_reset" form r∘(h·U + b)),
 * with one bias vector; the update gate weights the old state, as in the paper:
 *
 * <pre>
 *   r  = σ(x·W_r + h·RW_r + b_r)
 *   u  = σ(x·W_z + h·RW_z + b_z)
 *   n  = tanh(x·W_n + (r∘h)·RW_n + b_n)
 *   h' = (1 - u)∘n + u∘h
 * </pre>
 *
 * <p><b>Parameters</b>, named like DL4J's recurrent layers so that snapshots map onto them the same
 * way: {@code W} [nIn x 3H], {@code RW} [H x 3H], {@code b} [1 x 3H], each with the blocks [r | z |
 * n] along the columns. W and RW are Xavier-initialised per block (fan-in the rows, fan-out H), b is
 * zero.
 *
 * <p><b>Time.</b> Input [minibatch, nIn, T] and output [minibatch, H, T] as every DL4J recurrent
 * layer. The graph unrolls the T steps (one graph per distinct T, built on first use); libnd4j's
 * fused {@code gru} op is not used because in 1.0.0-M2.1 it applies r after the recurrent product
 * and its gradient op disagrees with its forward pass (docs/kernel.md). A plain
 * SameDiff layer is stateless, so {@link #instantiate} returns {@link GruLayerRuntime}, DL4J's
 * SameDiff runtime extended with the recurrent state that {@code rnnTimeStep} and truncated BPTT
 * carry between calls.
 */
public class GruLayer extends SameDiffLayer {

    public static final String INPUT_WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "RW";
    public static final String BIAS = "b";

    private long nIn;
    private long nOut;

    /** For DL4J's configuration cloning and JSON; use {@link #GruLayer(long, long)}. */
    public GruLayer() {}

    public GruLayer(long nIn, long nOut) {
        if (nIn <= 0 || nOut <= 0) {
            throw new IllegalArgumentException("nIn and nOut must be > 0, were " + nIn + ", " + nOut);
        }
        this.nIn = nIn;
        this.nOut = nOut;
    }

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long length = inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(nOut, length);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if ((override || nIn <= 0) && inputType instanceof InputType.InputTypeRecurrent r) {
            nIn = r.getSize();
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(INPUT_WEIGHTS, nIn, 3 * nOut);
        params.addWeightParam(RECURRENT_WEIGHTS, nOut, 3 * nOut);
        params.addBiasParam(BIAS, 1, 3 * nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initBlocks(params.get(INPUT_WEIGHTS), nIn);
        initBlocks(params.get(RECURRENT_WEIGHTS), nOut);
        params.get(BIAS).assign(0);
    }

    /** Xavier per [rows x H] block, drawn from ND4J's RNG, which DL4J seeds before initialising. */
    private void initBlocks(INDArray weights, long rows) {
        for (int block = 0; block < 3; block++) {
            INDArray view = weights.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(block * nOut, (block + 1) * nOut));
            INDArray init = WeightInitUtil.initWeights(rows, nOut, new long[] {rows, nOut},
                    WeightInit.XAVIER, null, 'c', view.dup('c'));
            view.assign(init);
        }
    }

    /** The sequence from a zero initial state; {@link GruLayerRuntime} feeds its own state instead. */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
            SDVariable mask) {
        if (mask != null) {
            throw new UnsupportedOperationException("GruLayer does not support masks");
        }
        int steps = Math.toIntExact(layerInput.getShape()[2]);
        return defineSequence(sd, layerInput, null, paramTable, steps)[0];
    }

    /**
     * The unrolled recurrence over {@code steps} time steps.
     *
     * @param input [mb, nIn, steps]
     * @param h0 [mb, H] initial state, or null for zeros
     * @return the outputs [mb, H, steps] and the last state [mb, H]
     */
    SDVariable[] defineSequence(SameDiff sd, SDVariable input, SDVariable h0, Map<String, SDVariable> params,
            int steps) {
        long h = nOut;
        SDVariable w = params.get(INPUT_WEIGHTS);
        SDVariable rw = params.get(RECURRENT_WEIGHTS);
        SDVariable b = params.get(BIAS);
        // The input products of all steps at once, [mb·T, nIn]·W + b, then one slice per step from
        // a single unstack: SameDiff's cost here is per op, far more than per flop.
        SDVariable rows = sd.reshape(sd.permute(input, 0, 2, 1), -1, nIn);
        SDVariable[] blocks = sd.split(rows.mmul(w).add(b), 3, 1);
        SDVariable gatesIn = sd.concat(1, blocks[0], blocks[1]);
        SDVariable candidateIn = blocks[2];
        SDVariable[] gatesX = sd.unstack(sd.reshape(gatesIn, -1, steps, 2 * h), 1, steps);
        SDVariable[] candidateX = sd.unstack(sd.reshape(candidateIn, -1, steps, h), 1, steps);
        SDVariable rwGates = rw.get(SDIndex.all(), SDIndex.interval(0L, 2 * h));
        SDVariable rwCandidate = rw.get(SDIndex.all(), SDIndex.interval(2 * h, 3 * h));
        SDVariable state = h0;
        SDVariable[] outputs = new SDVariable[steps];
        for (int t = 0; t < steps; t++) {
            SDVariable gates = state == null ? gatesX[t] : gatesX[t].add(state.mmul(rwGates));
            SDVariable[] ru = sd.split(sd.nn().sigmoid(gates), 2, 1);
            SDVariable u = ru[1];
            if (state == null) {
                // A zero state contributes nothing to the products, and h' = n - u∘n.
                SDVariable n = sd.math().tanh(candidateX[t]);
                state = n.sub(u.mul(n));
            } else {
                SDVariable n = sd.math().tanh(candidateX[t].add(ru[0].mul(state).mmul(rwCandidate)));
                state = n.add(u.mul(state.sub(n)));
            }
            outputs[t] = state;
        }
        return new SDVariable[] {sd.stack(2, outputs), state};
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        GruLayerRuntime layer = new GruLayerRuntime(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        ParamInitializer initializer = initializer();
        layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public String toString() {
        return "GruLayer(nIn=" + nIn + ", nOut=" + nOut + ")";
    }
}
