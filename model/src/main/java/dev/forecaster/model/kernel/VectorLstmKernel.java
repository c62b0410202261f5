package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * LSTM step on the JDK Vector API ({@code jdk.incubator.vector}); only {@link StepKernels} loads
 * it, and only when the module is present.
 *
 * <p><b>Layout.</b> Each gate block is padded from H to {@code hp} units, a multiple of the vector
 * length L, so no vector straddles two gates. Per layer the input and recurrent weights are one
 * matrix of {@code rows = nIn + H} rows ([x | h] times it gives the 4·hp pre-activations), cut into
 * panels of four vectors' width (4L columns); a panel's rows are stored one after the other, so a
 * pass over the rows streams memory in order while its accumulators stay in registers. Gate a's
 * columns are stored doubled (see {@link #gateScale}).
 *
 * <p><b>Summation order.</b> Every pre-activation is {@code b}, then one fused multiply-add per row
 * in row order, whichever tile computes it, and the head is one routine for both paths; so {@link
 * #stepBatch} is bit for bit {@link #step} per key, and neither depends on L.
 *
 * <p><b>Single key.</b> Two panels at a time (eight accumulators, enough independent FMAs to hide
 * their latency). One event reads every weight once, so this path is bound by the bandwidth that
 * streams the weights from L2, not by arithmetic; alternating the panel order between calls keeps
 * part of them in L1.
 *
 * <p><b>Batch.</b> Blocks of up to {@value #BLOCK} keys; for each panel, tiles of 4 keys (2 below
 * 512-bit vectors, where 16 accumulators would not fit in the 16 registers) share every weight
 * load, and the panel stays in L1 from one tile to the next: arithmetic, not bandwidth, sets the
 * pace.
 *
 * <p><b>Activations</b> are float, with a polynomial exp (relative error about 1e-7) instead of the
 * lane-by-lane {@code Math.exp} that {@code VectorOperators.EXP} costs on JDK 17, and two vector
 * divisions per L units instead of five.
 *
 * <p>No method takes or returns a vector: C2 boxes vectors across calls it does not inline, which
 * costs more than everything else here.
 */
final class VectorLstmKernel implements StepKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PANEL = 4 * L;
    private static final boolean WIDE = S.vectorBitSize() >= 512;
    private static final int BLOCK = 32;

    /**
     * Bound on the argument of the exp inside sigmoid: beyond ±20 sigmoid is within 2.1e-9 of 0 or
     * 1 (tanh, evaluated at 2x, within 4.2e-9), and a product of four (1 + e^20) stays below 1e35.
     */
    private static final float CLAMP = 20f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    /** ln 2 split so that n·LN2_HI is exact for the n that occur (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Minimax polynomial for (e^r - 1 - r) / r² on |r| ≤ ln2/2 (Cephes expf coefficients). */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private final int hidden;
    private final int hp;
    private final int gates;
    private final int panels;
    private final int layers;
    private final int horizon;
    private final int horizonP;
    private final int[] nIn;
    /** Per layer: panels × rows × PANEL floats. */
    private final float[][] packed;
    /** Per layer: [4·hp], zero in the padding. */
    private final float[][] bias;
    /**
     * Blocks of L outputs, each [H x L], so that each block's pass over h reads memory in order;
     * zero beyond horizon.
     */
    private final float[] headW;
    private final float[] headB;

    /** [x | h] rows of up to BLOCK keys. */
    private final float[] xh;
    /** Pre-activations of up to BLOCK keys, 4·hp each. */
    private final float[] z;
    private final float[] outP;
    /** Panel-pair order of the next single step; see {@link #step}. */
    private boolean reverse;
    /** 2c' of each key of a block, then the denominator of sigmoid(2c'). */
    private final float[] t;
    /** Padded h and c of a block's keys, used only when H is not a multiple of L. */
    private final float[] hP;
    private final float[] cP;
    /** The h and c arrays of the block's keys for the layer being stepped. */
    private final float[][] hRefs;
    private final float[][] cRefs;

    VectorLstmKernel(LstmWeights weights) {
        hidden = weights.spec().hiddenSize();
        hp = roundUp(hidden, L);
        gates = 4 * hp;
        panels = gates / PANEL;
        layers = weights.spec().layers();
        horizon = weights.spec().horizon();
        horizonP = roundUp(horizon, L);
        nIn = new int[layers];
        packed = new float[layers][];
        bias = new float[layers][];
        int maxRows = 0;
        for (int l = 0; l < layers; l++) {
            nIn[l] = weights.layerInputs(l);
            packed[l] = pack(weights.w()[l], weights.rw()[l], nIn[l]);
            bias[l] = new float[gates];
            for (int col = 0; col < gates; col++) {
                int src = sourceColumn(col);
                bias[l][col] = src < 0 ? 0f : gateScale(col) * weights.b()[l][src];
            }
            maxRows = Math.max(maxRows, nIn[l] + hidden);
        }
        headW = new float[hidden * horizonP];
        for (int k = 0; k < hidden; k++) {
            for (int m = 0; m < horizon; m++) {
                int q = m / L;
                headW[(q * hidden + k) * L + m % L] = weights.headW()[k * horizon + m];
            }
        }
        headB = new float[horizonP];
        System.arraycopy(weights.headB(), 0, headB, 0, horizon);
        xh = new float[BLOCK * maxRows];
        z = new float[BLOCK * gates];
        outP = new float[horizonP];
        t = new float[BLOCK * hp];
        hP = new float[BLOCK * hp];
        cP = new float[BLOCK * hp];
        hRefs = new float[BLOCK][];
        cRefs = new float[BLOCK][];
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** The column of the snapshot's 4H axis that padded column {@code col} holds, or -1 for padding. */
    private int sourceColumn(int col) {
        int gate = col / hp;
        int unit = col % hp;
        return unit < hidden ? gate * hidden + unit : -1;
    }

    /**
     * 2 for gate a, 1 for the others: tanh(x) = 2·sigmoid(2x) - 1, so doubling gate a's weights
     * (exact in float) lets one sigmoid routine serve all four gates.
     */
    private float gateScale(int col) {
        return col < hp ? 2f : 1f;
    }

    private float[] pack(float[] w, float[] rw, int inputs) {
        int rows = inputs + hidden;
        int srcCols = 4 * hidden;
        float[] out = new float[panels * rows * PANEL];
        for (int p = 0; p < panels; p++) {
            for (int r = 0; r < rows; r++) {
                int dst = (p * rows + r) * PANEL;
                for (int cc = 0; cc < PANEL; cc++) {
                    int src = sourceColumn(p * PANEL + cc);
                    if (src >= 0) {
                        float v = r < inputs ? w[r * srcCols + src] : rw[(r - inputs) * srcCols + src];
                        out[dst + cc] = gateScale(p * PANEL + cc) * v;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String describe() {
        return "vector (" + S.vectorBitSize() + "-bit, " + L + " float lanes)";
    }

    /** Lanes of the preferred float species. */
    static int lanes() {
        return L;
    }

    @Override
    public void step(RecurrentState state, float[] input, float[] out) {
        // Alternating the order of panel pairs between calls starts each step on the panels the
        // previous one read last, which are likely still in L1 (one layer at H = 64 is 66 KB of
        // weights, L1 32-48 KB); the order does not change any sum.
        reverse = !reverse;
        for (int l = 0; l < layers; l++) {
            int inputs = nIn[l];
            int rows = inputs + hidden;
            float[] h = state.h[l];
            System.arraycopy(l == 0 ? input : state.h[l - 1], 0, xh, 0, inputs);
            System.arraycopy(h, 0, xh, inputs, hidden);
            float[] wp = packed[l];
            float[] bp = bias[l];
            int stride = rows * PANEL;
            // Each pair's exps right after it: the next pair's loop waits on L2 most of the time,
            // and out-of-order execution runs the exps in those idle cycles.
            int pairs = panels / 2;
            for (int q = 0; q < pairs; q++) {
                int p = 2 * (reverse ? pairs - 1 - q : q);
                tile1x8(wp, p * stride, stride, bp, p * PANEL, xh, 0, rows, z, p * PANEL);
                denominators(z, p * PANEL, 2 * PANEL);
            }
            if ((panels & 1) != 0) {
                int p = panels - 1;
                tile1x4(wp, p * stride, bp, p * PANEL, xh, 0, rows, z, p * PANEL);
                denominators(z, p * PANEL, PANEL);
            }
            hRefs[0] = h;
            cRefs[0] = state.c[l];
            activate(1, false);
        }
        head(state.h[layers - 1], out);
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
                float[] wp = packed[l];
                float[] bp = bias[l];
                int stride = rows * PANEL;
                for (int p = 0; p < panels; p++) {
                    int w = p * stride;
                    int b = p * PANEL;
                    int i = 0;
                    if (WIDE) {
                        for (; i + 4 <= nb; i += 4) {
                            tile4x4(wp, w, bp, b, xh, i * rows, rows, z, i * gates + b, gates);
                        }
                    }
                    for (; i + 2 <= nb; i += 2) {
                        tile2x4(wp, w, bp, b, xh, i * rows, rows, z, i * gates + b, gates);
                    }
                    for (; i < nb; i++) {
                        tile1x4(wp, w, bp, b, xh, i * rows, rows, z, i * gates + b);
                    }
                }
                for (int i = 0; i < nb; i++) {
                    hRefs[i] = states[k0 + i].h[l];
                    cRefs[i] = states[k0 + i].c[l];
                }
                activate(nb, true);
            }
            for (int i = 0; i < nb; i++) {
                head(states[k0 + i].h[layers - 1], outs[k0 + i]);
            }
        }
    }

    /** One key, two adjacent panels (eight vectors) starting at {@code w}; the second is {@code stride} on. */
    private static void tile1x8(float[] wp, int w, int stride, float[] bp, int b, float[] xh, int x,
            int rows, float[] z, int zo) {
        int w2 = w + stride;
        FloatVector a0 = FloatVector.fromArray(S, bp, b);
        FloatVector a1 = FloatVector.fromArray(S, bp, b + L);
        FloatVector a2 = FloatVector.fromArray(S, bp, b + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, bp, b + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, bp, b + PANEL);
        FloatVector a5 = FloatVector.fromArray(S, bp, b + PANEL + L);
        FloatVector a6 = FloatVector.fromArray(S, bp, b + PANEL + 2 * L);
        FloatVector a7 = FloatVector.fromArray(S, bp, b + PANEL + 3 * L);
        for (int r = 0; r < rows; r++, w += PANEL, w2 += PANEL) {
            FloatVector v = FloatVector.broadcast(S, xh[x + r]);
            a0 = FloatVector.fromArray(S, wp, w).fma(v, a0);
            a1 = FloatVector.fromArray(S, wp, w + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, wp, w + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, wp, w + 3 * L).fma(v, a3);
            a4 = FloatVector.fromArray(S, wp, w2).fma(v, a4);
            a5 = FloatVector.fromArray(S, wp, w2 + L).fma(v, a5);
            a6 = FloatVector.fromArray(S, wp, w2 + 2 * L).fma(v, a6);
            a7 = FloatVector.fromArray(S, wp, w2 + 3 * L).fma(v, a7);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + L);
        a2.intoArray(z, zo + 2 * L);
        a3.intoArray(z, zo + 3 * L);
        a4.intoArray(z, zo + PANEL);
        a5.intoArray(z, zo + PANEL + L);
        a6.intoArray(z, zo + PANEL + 2 * L);
        a7.intoArray(z, zo + PANEL + 3 * L);
    }

    /** One key, one panel. */
    private static void tile1x4(float[] wp, int w, float[] bp, int b, float[] xh, int x, int rows,
            float[] z, int zo) {
        FloatVector a0 = FloatVector.fromArray(S, bp, b);
        FloatVector a1 = FloatVector.fromArray(S, bp, b + L);
        FloatVector a2 = FloatVector.fromArray(S, bp, b + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, bp, b + 3 * L);
        for (int r = 0; r < rows; r++, w += PANEL) {
            FloatVector v = FloatVector.broadcast(S, xh[x + r]);
            a0 = FloatVector.fromArray(S, wp, w).fma(v, a0);
            a1 = FloatVector.fromArray(S, wp, w + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, wp, w + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, wp, w + 3 * L).fma(v, a3);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + L);
        a2.intoArray(z, zo + 2 * L);
        a3.intoArray(z, zo + 3 * L);
    }

    /** Two keys (rows {@code x} and {@code x + rows} of xh), one panel. */
    private static void tile2x4(float[] wp, int w, float[] bp, int b, float[] xh, int x, int rows,
            float[] z, int zo, int zStride) {
        FloatVector b0 = FloatVector.fromArray(S, bp, b);
        FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
        FloatVector b2 = FloatVector.fromArray(S, bp, b + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bp, b + 3 * L);
        FloatVector a0 = b0;
        FloatVector a1 = b1;
        FloatVector a2 = b2;
        FloatVector a3 = b3;
        FloatVector c0 = b0;
        FloatVector c1 = b1;
        FloatVector c2 = b2;
        FloatVector c3 = b3;
        int x2 = x + rows;
        for (int r = 0; r < rows; r++, w += PANEL) {
            FloatVector w0 = FloatVector.fromArray(S, wp, w);
            FloatVector w1 = FloatVector.fromArray(S, wp, w + L);
            FloatVector w2 = FloatVector.fromArray(S, wp, w + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, wp, w + 3 * L);
            FloatVector v = FloatVector.broadcast(S, xh[x + r]);
            a0 = w0.fma(v, a0);
            a1 = w1.fma(v, a1);
            a2 = w2.fma(v, a2);
            a3 = w3.fma(v, a3);
            v = FloatVector.broadcast(S, xh[x2 + r]);
            c0 = w0.fma(v, c0);
            c1 = w1.fma(v, c1);
            c2 = w2.fma(v, c2);
            c3 = w3.fma(v, c3);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + L);
        a2.intoArray(z, zo + 2 * L);
        a3.intoArray(z, zo + 3 * L);
        zo += zStride;
        c0.intoArray(z, zo);
        c1.intoArray(z, zo + L);
        c2.intoArray(z, zo + 2 * L);
        c3.intoArray(z, zo + 3 * L);
    }

    /** Four keys, one panel: 16 accumulators, for 512-bit vectors (32 registers). */
    private static void tile4x4(float[] wp, int w, float[] bp, int b, float[] xh, int x, int rows,
            float[] z, int zo, int zStride) {
        FloatVector b0 = FloatVector.fromArray(S, bp, b);
        FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
        FloatVector b2 = FloatVector.fromArray(S, bp, b + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, bp, b + 3 * L);
        FloatVector a0 = b0;
        FloatVector a1 = b1;
        FloatVector a2 = b2;
        FloatVector a3 = b3;
        FloatVector c0 = b0;
        FloatVector c1 = b1;
        FloatVector c2 = b2;
        FloatVector c3 = b3;
        FloatVector d0 = b0;
        FloatVector d1 = b1;
        FloatVector d2 = b2;
        FloatVector d3 = b3;
        FloatVector e0 = b0;
        FloatVector e1 = b1;
        FloatVector e2 = b2;
        FloatVector e3 = b3;
        int x2 = x + rows;
        int x3 = x2 + rows;
        int x4 = x3 + rows;
        for (int r = 0; r < rows; r++, w += PANEL) {
            FloatVector w0 = FloatVector.fromArray(S, wp, w);
            FloatVector w1 = FloatVector.fromArray(S, wp, w + L);
            FloatVector w2 = FloatVector.fromArray(S, wp, w + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, wp, w + 3 * L);
            FloatVector v = FloatVector.broadcast(S, xh[x + r]);
            a0 = w0.fma(v, a0);
            a1 = w1.fma(v, a1);
            a2 = w2.fma(v, a2);
            a3 = w3.fma(v, a3);
            v = FloatVector.broadcast(S, xh[x2 + r]);
            c0 = w0.fma(v, c0);
            c1 = w1.fma(v, c1);
            c2 = w2.fma(v, c2);
            c3 = w3.fma(v, c3);
            v = FloatVector.broadcast(S, xh[x3 + r]);
            d0 = w0.fma(v, d0);
            d1 = w1.fma(v, d1);
            d2 = w2.fma(v, d2);
            d3 = w3.fma(v, d3);
            v = FloatVector.broadcast(S, xh[x4 + r]);
            e0 = w0.fma(v, e0);
            e1 = w1.fma(v, e1);
            e2 = w2.fma(v, e2);
            e3 = w3.fma(v, e3);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + L);
        a2.intoArray(z, zo + 2 * L);
        a3.intoArray(z, zo + 3 * L);
        zo += zStride;
        c0.intoArray(z, zo);
        c1.intoArray(z, zo + L);
        c2.intoArray(z, zo + 2 * L);
        c3.intoArray(z, zo + 3 * L);
        zo += zStride;
        d0.intoArray(z, zo);
        d1.intoArray(z, zo + L);
        d2.intoArray(z, zo + 2 * L);
        d3.intoArray(z, zo + 3 * L);
        zo += zStride;
        e0.intoArray(z, zo);
        e1.intoArray(z, zo + L);
        e2.intoArray(z, zo + 2 * L);
        e3.intoArray(z, zo + 3 * L);
    }

    /**
     * Gate activations and the cell update for the first {@code nb} keys of the block, whose
     * pre-activations are the rows of {@link #z} (overwritten) and whose h and c are in {@link
     * #hRefs} and {@link #cRefs}. When H is not a multiple of L it works on padded copies of h and
     * c, so that no vector runs past the state arrays' ends; copying 2H floats costs far less than
     * masked tails.
     *
     * <p>Every gate is a sigmoid 1/d with d = 1 + e^-x (gate a too: its weights were doubled, and
     * tanh(x) = 2·sigmoid(2x) - 1). Division is the slowest vector operation, so the four gates'
     * reciprocals come from one division of their product: 1/d_f = d_a·d_o·d_i / (d_a·d_f·d_o·d_i),
     * and so on; {@link #CLAMP} keeps the product of four d below the float range's end.
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
            denominators(z, 0, nb * gates);
        }
        for (int key = 0; key < nb; key++) {
            int zOff = key * gates;
            int tOff = key * hp;
            float[] cc = cRefs[key];
            int cOff = 0;
            if (padded) {
                System.arraycopy(cc, 0, cP, tOff, hidden);
                cc = cP;
                cOff = tOff;
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
                c.mul(2f).intoArray(t, tOff + j);
            }
        }
        denominators(t, 0, nb * hp);
        for (int key = 0; key < nb; key++) {
            int zOff = key * gates;
            int tOff = key * hp;
            float[] hh = padded ? hP : hRefs[key];
            int hOff = padded ? tOff : 0;
            for (int j = 0; j < hp; j += L) {
                FloatVector o = FloatVector.fromArray(S, z, zOff + 2 * hp + j);
                FloatVector d = FloatVector.fromArray(S, t, tOff + j);
                o.mul(FloatVector.broadcast(S, 2f).div(d).sub(1f)).intoArray(hh, hOff + j);
            }
            if (padded) {
                System.arraycopy(cP, tOff, cRefs[key], 0, hidden);
                System.arraycopy(hP, tOff, hRefs[key], 0, hidden);
            }
        }
    }

    /**
     * {@code a[off, off + n) = 1 + e^-a[off, off + n)} (the denominator of the sigmoid) for n a
     * multiple of L, in float: e^x as x = k·ln2 + r, |r| ≤ ln2/2, e^r from a degree-7 polynomial
     * and 2^k written straight into the exponent bits, about 1e-7 relative error. {@code
     * VectorOperators.EXP} would cost a scalar Math.exp per lane on JDK 17. The exp is written out
     * here rather than in a helper because a helper taking or returning a vector that C2 declines to
     * inline boxes every vector.
     */
    static void denominators(float[] a, int off, int n) {
        for (int j = off; j < off + n; j += L) {
            FloatVector x = FloatVector.fromArray(S, a, j).neg().max(-CLAMP).min(CLAMP);
            FloatVector t = x.fma(LOG2E, ROUND);
            FloatVector k = t.sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), x);
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(P0, P1);
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P3));
            p = p.fma(r, FloatVector.broadcast(S, P4));
            p = p.fma(r, FloatVector.broadcast(S, P5));
            p = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts()
                    .sub(ROUND_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            p.fma(scale, FloatVector.broadcast(S, 1f)).intoArray(a, j);
        }
    }

    /** The per-key head, shared by both paths so that they round alike. */
    private void head(float[] h, float[] out) {
        for (int q = 0; q < horizonP; q += L) {
            // Four partial sums: one chain of H dependent FMAs would leave the FPU idle.
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            int w = q * hidden;
            int k = 0;
            for (; k + 3 < hidden; k += 4, w += 4 * L) {
                s0 = FloatVector.fromArray(S, headW, w).fma(FloatVector.broadcast(S, h[k]), s0);
                s1 = FloatVector.fromArray(S, headW, w + L).fma(FloatVector.broadcast(S, h[k + 1]), s1);
                s2 = FloatVector.fromArray(S, headW, w + 2 * L).fma(FloatVector.broadcast(S, h[k + 2]), s2);
                s3 = FloatVector.fromArray(S, headW, w + 3 * L).fma(FloatVector.broadcast(S, h[k + 3]), s3);
            }
            for (; k < hidden; k++, w += L) {
                s0 = FloatVector.fromArray(S, headW, w).fma(FloatVector.broadcast(S, h[k]), s0);
            }
            s0.add(s1).add(s2.add(s3)).add(FloatVector.fromArray(S, headB, q)).intoArray(outP, q);
        }
        System.arraycopy(outP, 0, out, 0, horizon);
    }
}
