package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;

import static dev.forecaster.model.kernel.VectorPanels.BLOCK;
import static dev.forecaster.model.kernel.VectorPanels.L;
import static dev.forecaster.model.kernel.VectorPanels.PANEL;
import static dev.forecaster.model.kernel.VectorPanels.S;
import static dev.forecaster.model.kernel.VectorPanels.denominators;
import static dev.forecaster.model.kernel.VectorPanels.roundUp;

/**
 * GRU step on the JDK Vector API; only {@link StepKernels} loads it, and only when the module is
 * present. Equations in {@link LstmForecaster}.
 *
 * <p>The candidate n reads r∘h, which exists only after the gates, so a layer is two panel-packed
 * products ({@link VectorPanels}): [x | h] times the r and z columns, then [x | r∘h] times the n
 * columns. Each gate block is padded from H to {@code hp} units (a multiple of L) and each matrix's
 * columns to whole panels. The n columns are stored doubled, so that tanh(x) = 2·sigmoid(2x) - 1
 * shares the sigmoid's exp; r and z come from one division, 1/(d_r·d_z).
 *
 * <p>As in {@link VectorLstmKernel}, every pre-activation is its bias and then one FMA per row in
 * row order in both paths, and the activations are the same lane-wise formulas, so {@link
 * #stepBatch} is bit for bit {@link #step} per key.
 */
final class VectorGruKernel implements StepKernel {

    private final int hidden;
    private final int hp;
    private final int layers;
    private final int[] nIn;
    /** Columns of the gate matrix (r, z, padding) and of the candidate matrix (n, padding). */
    private final int colsA;
    private final int colsB;
    private final AlignedFloats.Slice[] packedA;
    private final float[][] biasA;
    private final AlignedFloats.Slice[] packedB;
    private final float[][] biasB;
    private final VectorHead head;

    /** [x | h], then [x | r∘h], rows of up to BLOCK keys. */
    private final float[] xh;
    /** Per key: gate pre-activations, then their denominators, then r and z (colsA each). */
    private final float[] zA;
    /** Per key: candidate pre-activations, then denominators (colsB each). */
    private final float[] zB;
    /** Per key: r∘h, padded to hp. */
    private final float[] rh;
    /** Padded h of a block's keys, used only when H is not a multiple of L. */
    private final float[] hP;
    private final float[][] hRefs;
    private boolean reverse;

    VectorGruKernel(CellWeights weights) {
        hidden = weights.spec().hiddenSize();
        hp = roundUp(hidden, L);
        layers = weights.spec().layers();
        colsA = roundUp(2 * hp, PANEL);
        colsB = roundUp(hp, PANEL);
        nIn = new int[layers];
        packedA = new AlignedFloats.Slice[layers];
        biasA = new float[layers][];
        packedB = new AlignedFloats.Slice[layers];
        biasB = new float[layers][];
        int srcCols = 3 * hidden;
        int maxRows = 0;
        for (int l = 0; l < layers; l++) {
            int inputs = weights.layerInputs(l);
            float[] w = weights.w()[l];
            float[] rw = weights.rw()[l];
            float[] b = weights.b()[l];
            nIn[l] = inputs;
            packedA[l] = VectorPanels.pack(inputs + hidden, colsA, (r, col) -> {
                int src = gateColumn(col);
                return src < 0 ? 0f : -(r < inputs ? w[r * srcCols + src] : rw[(r - inputs) * srcCols + src]);
            });
            packedB[l] = VectorPanels.pack(inputs + hidden, colsB, (r, col) -> {
                int src = col < hidden ? 2 * hidden + col : -1;
                return src < 0 ? 0f : -2f * (r < inputs ? w[r * srcCols + src] : rw[(r - inputs) * srcCols + src]);
            });
            // Plain arrays at offset 0, not AlignedFloats slices: with the offset a field rather
            // than the constant 0, this kernel's single step measured 1.5 times slower (docs/kernel.md,
            // "Session 24"), and so are its scratch sums; the LSTM's did not change.
            biasA[l] = new float[colsA];
            for (int col = 0; col < colsA; col++) {
                int src = gateColumn(col);
                biasA[l][col] = src < 0 ? 0f : -b[src];
            }
            biasB[l] = new float[colsB];
            for (int col = 0; col < hidden; col++) {
                biasB[l][col] = -2f * b[2 * hidden + col];
            }
            maxRows = Math.max(maxRows, inputs + hidden);
        }
        head = new VectorHead(weights);
        xh = new float[BLOCK * maxRows];
        zA = new float[BLOCK * colsA];
        zB = new float[BLOCK * colsB];
        rh = new float[BLOCK * hp];
        hP = new float[BLOCK * hp];
        hRefs = new float[BLOCK][];
    }

    /** The snapshot column (r or z block) of padded gate column {@code col}, or -1 for padding. */
    private int gateColumn(int col) {
        int gate = col / hp;
        int unit = col % hp;
        return gate < 2 && unit < hidden ? gate * hidden + unit : -1;
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
            int rows = inputs + hidden;
            System.arraycopy(l == 0 ? input : state.h[l - 1], 0, xh, 0, inputs);
            System.arraycopy(state.h[l], 0, xh, inputs, hidden);
            hRefs[0] = state.h[l];
            VectorPanels.multiply(packedA[l], biasA[l], 0, colsA / PANEL, rows, xh, zA, 0, reverse);
            gates(1, inputs);
            VectorPanels.multiply(packedB[l], biasB[l], 0, colsB / PANEL, rows, xh, zB, 0, reverse);
            update(1);
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
                    hRefs[i] = s.h[l];
                }
                VectorPanels.multiplyBatch(packedA[l], biasA[l], 0, colsA / PANEL, rows, xh, nb, zA, 0, colsA);
                gates(nb, n);
                VectorPanels.multiplyBatch(packedB[l], biasB[l], 0, colsB / PANEL, rows, xh, nb, zB, 0, colsB);
                update(nb);
            }
            for (int i = 0; i < nb; i++) {
                head.apply(states[k0 + i].h[layers - 1], outs[k0 + i]);
            }
        }
    }

    /**
     * r and z of the first {@code nb} keys from their pre-activations in {@link #zA}; z stays
     * there, r∘h replaces h in each key's row of {@link #xh} (the candidate's input).
     */
    private void gates(int nb, int inputs) {
        boolean padded = hp != hidden;
        int rows = inputs + hidden;
        for (int key = 0; key < nb; key++) {
            int a = key * colsA;
            denominators(zA, a, 2 * hp);
            float[] h = hRefs[key];
            int hOff = 0;
            if (padded) {
                System.arraycopy(h, 0, hP, key * hp, hidden);
                h = hP;
                hOff = key * hp;
            }
            for (int j = 0; j < hp; j += L) {
                FloatVector dr = FloatVector.fromArray(S, zA, a + j);
                FloatVector dz = FloatVector.fromArray(S, zA, a + hp + j);
                FloatVector q = FloatVector.broadcast(S, 1f).div(dr.mul(dz));
                q.mul(dr).intoArray(zA, a + hp + j);
                q.mul(dz).mul(FloatVector.fromArray(S, h, hOff + j)).intoArray(rh, key * hp + j);
            }
            System.arraycopy(rh, key * hp, xh, key * rows + inputs, hidden);
        }
    }

    /** h' = n + z∘(h - n) for the first {@code nb} keys, n = tanh from {@link #zB}. */
    private void update(int nb) {
        boolean padded = hp != hidden;
        for (int key = 0; key < nb; key++) {
            int a = key * colsA;
            int b = key * colsB;
            denominators(zB, b, hp);
            float[] h = padded ? hP : hRefs[key];
            int hOff = padded ? key * hp : 0;
            for (int j = 0; j < hp; j += L) {
                FloatVector n = FloatVector.broadcast(S, 2f).div(FloatVector.fromArray(S, zB, b + j)).sub(1f);
                FloatVector u = FloatVector.fromArray(S, zA, a + hp + j);
                FloatVector hv = FloatVector.fromArray(S, h, hOff + j);
                u.fma(hv.sub(n), n).intoArray(h, hOff + j);
            }
            if (padded) {
                System.arraycopy(hP, hOff, hRefs[key], 0, hidden);
            }
        }
    }
}
