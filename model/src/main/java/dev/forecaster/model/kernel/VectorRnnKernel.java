package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;

import static dev.forecaster.model.kernel.VectorPanels.BLOCK;
import static dev.forecaster.model.kernel.VectorPanels.L;
import static dev.forecaster.model.kernel.VectorPanels.PANEL;
import static dev.forecaster.model.kernel.VectorPanels.S;
import static dev.forecaster.model.kernel.VectorPanels.denominators;
import static dev.forecaster.model.kernel.VectorPanels.roundUp;

/**
 * Elman step, h' = tanh(x·W + h·RW + b), on the JDK Vector API; only {@link StepKernels} loads it,
 * and only when the module is present. One panel-packed product ({@link VectorPanels}) over [x |
 * h] with the weights doubled, then tanh(x) = 2·sigmoid(2x) - 1. Batches are bit for bit the single
 * steps, as in {@link VectorLstmKernel}.
 */
final class VectorRnnKernel implements StepKernel {

    private final int hidden;
    private final int hp;
    private final int cols;
    private final int layers;
    private final int[] nIn;
    private final AlignedFloats.Slice[] packed;
    private final AlignedFloats.Slice[] bias;
    private final VectorHead head;

    private final float[] xh;
    private final float[] z;
    private final int z0;
    /** Padded h of a block's keys, used only when H is not a multiple of L. */
    private final float[] hP;
    private boolean reverse;

    VectorRnnKernel(CellWeights weights) {
        hidden = weights.spec().hiddenSize();
        hp = roundUp(hidden, L);
        cols = roundUp(hp, PANEL);
        layers = weights.spec().layers();
        nIn = new int[layers];
        packed = new AlignedFloats.Slice[layers];
        bias = new AlignedFloats.Slice[layers];
        int maxRows = 0;
        for (int l = 0; l < layers; l++) {
            int inputs = weights.layerInputs(l);
            float[] w = weights.w()[l];
            float[] rw = weights.rw()[l];
            nIn[l] = inputs;
            packed[l] = VectorPanels.pack(inputs + hidden, cols, (r, col) -> col >= hidden ? 0f
                    : -2f * (r < inputs ? w[r * hidden + col] : rw[(r - inputs) * hidden + col]));
            float[] b = weights.b()[l];
            bias[l] = VectorPanels.alignedVector(cols, col -> col < hidden ? -2f * b[col] : 0f);
            maxRows = Math.max(maxRows, inputs + hidden);
        }
        head = new VectorHead(weights);
        xh = new float[BLOCK * maxRows];
        AlignedFloats.Slice zs = AlignedFloats.allocate(BLOCK * cols);
        z = zs.array();
        z0 = zs.offset();
        hP = new float[hp];
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String describe() {
        return VectorPanels.describe();
    }

    @Override
    public void step(RecurrentState state, float[] input, float[] out) {
        reverse = !reverse;
        for (int l = 0; l < layers; l++) {
            int inputs = nIn[l];
            System.arraycopy(l == 0 ? input : state.h[l - 1], 0, xh, 0, inputs);
            System.arraycopy(state.h[l], 0, xh, inputs, hidden);
            AlignedFloats.Slice b = bias[l];
            VectorPanels.multiply(packed[l], b.array(), b.offset(), cols / PANEL, inputs + hidden, xh, z, z0, reverse);
            activate(z0, state.h[l]);
        }
        head.apply(state.h[layers - 1], out);
    }

    @Override
    public void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs, int count) {
        for (int k0 = 0; k0 < count; k0 += BLOCK) {
            int nb = Math.min(BLOCK, count - k0);
            for (int l = 0; l < layers; l++) {
                int n = nIn[l];
                int rows = n + hidden;
                for (int i = 0; i < nb; i++) {
                    RecurrentState s = states[k0 + i];
                    System.arraycopy(l == 0 ? inputs[k0 + i] : s.h[l - 1], 0, xh, i * rows, n);
                    System.arraycopy(s.h[l], 0, xh, i * rows + n, hidden);
                }
                AlignedFloats.Slice b = bias[l];
                VectorPanels.multiplyBatch(packed[l], b.array(), b.offset(), cols / PANEL, rows, xh, nb, z, z0, cols);
                for (int i = 0; i < nb; i++) {
                    activate(z0 + i * cols, states[k0 + i].h[l]);
                }
            }
            for (int i = 0; i < nb; i++) {
                head.apply(states[k0 + i].h[layers - 1], outs[k0 + i]);
            }
        }
    }

    /** h = tanh of the (doubled, negated) pre-activations at {@code z[off]}. */
    private void activate(int off, float[] h) {
        denominators(z, off, hp);
        boolean padded = hp != hidden;
        float[] dst = padded ? hP : h;
        for (int j = 0; j < hp; j += L) {
            FloatVector.broadcast(S, 2f).div(FloatVector.fromArray(S, z, off + j)).sub(1f).intoArray(dst, j);
        }
        if (padded) {
            System.arraycopy(hP, 0, h, 0, hidden);
        }
    }
}
