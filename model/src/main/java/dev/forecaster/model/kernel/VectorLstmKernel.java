package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;

import static dev.forecaster.model.kernel.VectorPanels.BLOCK;
import static dev.forecaster.model.kernel.VectorPanels.L;
import static dev.forecaster.model.kernel.VectorPanels.PANEL;
import static dev.forecaster.model.kernel.VectorPanels.S;
import static dev.forecaster.model.kernel.VectorPanels.denominators;
import static dev.forecaster.model.kernel.VectorPanels.roundUp;

/**
 * LSTM step on the JDK Vector API ({@code jdk.incubator.vector}); only {@link StepKernels} loads
 * it, and only when the module is present.
 *
 * <p><b>Layout.</b> Each gate block is padded from H to {@code hp} units, a multiple of the vector
 * length L, so no vector straddles two gates; the 4·hp columns are packed in panels ({@link
 * VectorPanels}). The columns are stored negated, gate a's also doubled (see {@link #gateScale}).
 *
 * <p><b>Summation order.</b> Every pre-activation is {@code b}, then one fused multiply-add per row
 * in row order, whichever tile computes it, and the head is one routine for both paths; so {@link
 * #stepBatch} is bit for bit {@link #step} per key, and neither depends on L.
 *
 * <p><b>Single key.</b> One panel at a time, in blocks of rows. One event reads every weight once,
 * so this path is bound by the bandwidth that streams the weights from L2, not by arithmetic: the
 * panel order alternates between calls, so that a step starts on the panel its predecessor read
 * last, still in L1, and each panel's exps are worked in between the next panel's blocks of rows,
 * where they run beside the stream ({@link VectorPanels#multiplyDenominators}).
 *
 * <p><b>Batch.</b> Blocks of up to {@value VectorPanels#BLOCK} keys; for each panel, tiles of
 * several keys share every weight load, and the panel stays in L1 from one tile to the next:
 * arithmetic, not bandwidth, sets the pace.
 *
 * <p><b>Activations</b> are float, with a polynomial exp (relative error about 1e-7) instead of the
 * lane-by-lane {@code Math.exp} that {@code VectorOperators.EXP} costs on JDK 17, and two vector
 * divisions per L units instead of five.
 *
 * <p>No method takes or returns a vector: C2 boxes vectors across calls it does not inline, which
 * costs more than everything else here.
 */
final class VectorLstmKernel implements StepKernel {

    private final int hidden;
    private final int hp;
    private final int gates;
    private final int panels;
    private final int layers;
    private final int[] nIn;
    /** Per layer: panels × rows × PANEL floats, 64-byte aligned. */
    private final AlignedFloats.Slice[] packed;
    /** Per layer: [4·hp], zero in the padding. */
    private final AlignedFloats.Slice[] bias;
    private final VectorHead head;

    /** [x | h] rows of up to BLOCK keys. */
    private final float[] xh;
    /** Pre-activations of up to BLOCK keys, 4·hp each, from {@link #z0} (64-byte aligned, see the constructor). */
    private final float[] z;
    private final int z0;
    /** Panel order of the next single step; see {@link #step}. */
    private boolean reverse;
    /** -2c' of each key of a block, then the denominator of sigmoid(2c'). */
    private final float[] t;
    private final int t0;
    /** Padded h and c of a block's keys, used only when H is not a multiple of L. */
    private final float[] hP;
    private final float[] cP;
    /** The h and c arrays of the block's keys for the layer being stepped. */
    private final float[][] hRefs;
    private final float[][] cRefs;

    VectorLstmKernel(CellWeights weights) {
        hidden = weights.spec().hiddenSize();
        hp = roundUp(hidden, L);
        gates = 4 * hp;
        panels = gates / PANEL;
        layers = weights.spec().layers();
        nIn = new int[layers];
        packed = new AlignedFloats.Slice[layers];
        bias = new AlignedFloats.Slice[layers];
        int maxRows = 0;
        for (int l = 0; l < layers; l++) {
            int inputs = weights.layerInputs(l);
            float[] w = weights.w()[l];
            float[] rw = weights.rw()[l];
            int srcCols = 4 * hidden;
            nIn[l] = inputs;
            packed[l] = VectorPanels.pack(inputs + hidden, gates, (r, col) -> {
                int src = sourceColumn(col);
                if (src < 0) {
                    return 0f;
                }
                float v = r < inputs ? w[r * srcCols + src] : rw[(r - inputs) * srcCols + src];
                return gateScale(col) * v;
            });
            float[] b = weights.b()[l];
            bias[l] = VectorPanels.alignedVector(gates, col -> {
                int src = sourceColumn(col);
                return src < 0 ? 0f : gateScale(col) * b[src];
            });
            maxRows = Math.max(maxRows, inputs + hidden);
        }
        head = new VectorHead(weights);
        xh = new float[BLOCK * maxRows];
        // Every vector access to the scratch sums is a whole cache line only if they are aligned;
        // a misaligned array would split each one in two, and store forwarding with it.
        AlignedFloats.Slice zs = AlignedFloats.allocate(BLOCK * gates);
        z = zs.array();
        z0 = zs.offset();
        AlignedFloats.Slice ts = AlignedFloats.allocate(BLOCK * hp);
        t = ts.array();
        t0 = ts.offset();
        hP = new float[BLOCK * hp];
        cP = new float[BLOCK * hp];
        hRefs = new float[BLOCK][];
        cRefs = new float[BLOCK][];
    }

    /** The column of the snapshot's 4H axis that padded column {@code col} holds, or -1 for padding. */
    private int sourceColumn(int col) {
        int gate = col / hp;
        int unit = col % hp;
        return unit < hidden ? gate * hidden + unit : -1;
    }

    /**
     * -2 for gate a, -1 for the others. tanh(x) = 2·sigmoid(2x) - 1, so doubling gate a's weights
     * lets one sigmoid routine serve all four gates; negating them all lets that routine take
     * e^z instead of e^-z, one multiplication less per vector. Both are exact in float, and so
     * every sum is the negation, bit for bit, of the unscaled one times the gate's factor.
     */
    private float gateScale(int col) {
        return col < hp ? -2f : -1f;
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
        // Alternating the order of the panels between calls starts each step on the panel the
        // previous one read last, which is likely still in L1 (one layer at H = 64 is 66 KB of
        // weights, L1 32-48 KB); the order does not change any sum.
        reverse = !reverse;
        for (int l = 0; l < layers; l++) {
            int inputs = nIn[l];
            float[] h = state.h[l];
            System.arraycopy(l == 0 ? input : state.h[l - 1], 0, xh, 0, inputs);
            System.arraycopy(h, 0, xh, inputs, hidden);
            AlignedFloats.Slice b = bias[l];
            VectorPanels.multiplyDenominators(packed[l], b.array(), b.offset(), panels, inputs + hidden, xh, z, z0, reverse);
            if (hp == hidden) {
                activateOne(h, state.c[l]);
            } else {
                hRefs[0] = h;
                cRefs[0] = state.c[l];
                activate(1, false);
            }
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
                VectorPanels.multiplyBatch(packed[l], b.array(), b.offset(), panels, rows, xh, nb, z, z0, gates);
                for (int i = 0; i < nb; i++) {
                    hRefs[i] = states[k0 + i].h[l];
                    cRefs[i] = states[k0 + i].c[l];
                }
                activate(nb, true);
            }
            for (int i = 0; i < nb; i++) {
                head.apply(states[k0 + i].h[layers - 1], outs[k0 + i]);
            }
        }
    }

    /**
     * {@link #activate} for one key whose H is a multiple of L: the same operations in the same
     * order (so the same bits), without the loop over keys, the padded copies and the reference
     * arrays, which measured 1.5 % faster at H = 64 (docs/kernel.md, "Session 24"). Its loops are
     * written out rather than shared with {@link #activate} through per-key helpers: that sharing
     * measured 5–7 % slower. It stays too large for C2 to inline into {@link #step}, and should: a
     * variant split so that most of it was inlined measured 4 % slower.
     */
    private void activateOne(float[] h, float[] cc) {
        for (int j = 0; j < hp; j += L) {
            FloatVector da = FloatVector.fromArray(S, z, z0 + j);
            FloatVector df = FloatVector.fromArray(S, z, z0 + hp + j);
            FloatVector dO = FloatVector.fromArray(S, z, z0 + 2 * hp + j);
            FloatVector di = FloatVector.fromArray(S, z, z0 + 3 * hp + j);
            FloatVector af = da.mul(df);
            FloatVector oi = dO.mul(di);
            FloatVector r = FloatVector.broadcast(S, 1f).div(af.mul(oi));
            FloatVector rOi = r.mul(oi);
            FloatVector rAf = r.mul(af);
            FloatVector a = rOi.mul(df).fma(2f, -1f);
            FloatVector f = rOi.mul(da);
            FloatVector i = rAf.mul(dO);
            rAf.mul(di).intoArray(z, z0 + 2 * hp + j);
            FloatVector c = f.fma(FloatVector.fromArray(S, cc, j), i.mul(a));
            c.intoArray(cc, j);
            c.mul(-2f).intoArray(t, t0 + j);
        }
        denominators(t, t0, hp);
        for (int j = 0; j < hp; j += L) {
            FloatVector o = FloatVector.fromArray(S, z, z0 + 2 * hp + j);
            FloatVector d = FloatVector.fromArray(S, t, t0 + j);
            o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(h, j);
        }
    }

    /**
     * Gate activations and the cell update for the first {@code nb} keys of the block, whose
     * pre-activations are the rows of {@link #z} (overwritten) and whose h and c are in {@link
     * #hRefs} and {@link #cRefs}. When H is not a multiple of L it works on padded copies of h and
     * c, so that no vector runs past the state arrays' ends; copying 2H floats costs far less than
     * masked tails.
     *
     * <p>Every gate is a sigmoid 1/d with d = 1 + e^-x, taken as 1 + e^z from the negated sums z
     * (gate a too: its weights were doubled, and tanh(x) = 2·sigmoid(2x) - 1). Division is the
     * slowest vector operation, so the four gates' reciprocals come from one division of their
     * product: 1/d_f = d_a·d_o·d_i / (d_a·d_f·d_o·d_i), and so on; the exp's clamp (±20) keeps the
     * product of four d below the float range's end.
     *
     * <p>The exps run over all keys at once, in phases: one key's chain of exp, cell update, exp
     * and division is long, and a batch keeps the vector units busy only if independent keys'
     * work sits side by side.
     *
     * @param gateExps whether the gates' denominators are still to be taken ({@link #step} takes
     *     them panel by panel)
     */
    private void activate(int nb, boolean gateExps) {
        boolean padded = hp != hidden;
        if (gateExps) {
            denominators(z, z0, nb * gates);
        }
        for (int key = 0; key < nb; key++) {
            int zOff = z0 + key * gates;
            int tOff = t0 + key * hp;
            float[] cc = cRefs[key];
            int cOff = 0;
            if (padded) {
                System.arraycopy(cc, 0, cP, key * hp, hidden);
                cc = cP;
                cOff = key * hp;
            }
            for (int j = 0; j < hp; j += L) {
                FloatVector da = FloatVector.fromArray(S, z, zOff + j);
                FloatVector df = FloatVector.fromArray(S, z, zOff + hp + j);
                FloatVector dO = FloatVector.fromArray(S, z, zOff + 2 * hp + j);
                FloatVector di = FloatVector.fromArray(S, z, zOff + 3 * hp + j);
                FloatVector af = da.mul(df);
                FloatVector oi = dO.mul(di);
                FloatVector r = FloatVector.broadcast(S, 1f).div(af.mul(oi));
                FloatVector rOi = r.mul(oi);
                FloatVector rAf = r.mul(af);
                FloatVector a = rOi.mul(df).fma(2f, -1f);
                FloatVector f = rOi.mul(da);
                FloatVector i = rAf.mul(dO);
                // o itself replaces its denominator, for the last phase.
                rAf.mul(di).intoArray(z, zOff + 2 * hp + j);
                FloatVector c = f.fma(FloatVector.fromArray(S, cc, cOff + j), i.mul(a));
                c.intoArray(cc, cOff + j);
                c.mul(-2f).intoArray(t, tOff + j);
            }
        }
        denominators(t, t0, nb * hp);
        for (int key = 0; key < nb; key++) {
            int zOff = z0 + key * gates;
            int tOff = t0 + key * hp;
            int pOff = key * hp;
            float[] hh = padded ? hP : hRefs[key];
            int hOff = padded ? pOff : 0;
            for (int j = 0; j < hp; j += L) {
                FloatVector o = FloatVector.fromArray(S, z, zOff + 2 * hp + j);
                FloatVector d = FloatVector.fromArray(S, t, tOff + j);
                o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(hh, hOff + j);
            }
            if (padded) {
                System.arraycopy(cP, pOff, cRefs[key], 0, hidden);
                System.arraycopy(hP, pOff, hRefs[key], 0, hidden);
            }
        }
    }

}
