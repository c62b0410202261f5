package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API building blocks of the vector kernels: panel-packed matrix-vector products and the
 * float sigmoid denominator. Loaded only through the vector kernels, so only when {@code
 * jdk.incubator.vector} is present.
 *
 * <p><b>Panels.</b> A layer's input and recurrent weights are one matrix of {@code rows = nIn + H}
 * rows ([x | h] times it gives the pre-activations; a GRU's candidate reads [x | r∘h] instead), its
 * columns padded to a multiple of {@link #PANEL} = four vectors and cut into panels of that width;
 * a panel's rows are stored one after the other, so a pass over the rows streams memory in order
 * while its accumulators stay in registers.
 *
 * <p><b>Summation order.</b> Every pre-activation is its bias, then one fused multiply-add per row
 * in row order, whichever tile computes it; so the batched products are bit for bit the single
 * ones, and neither depends on L.
 *
 * <p>No method takes or returns a vector: C2 boxes vectors across calls it does not inline, which
 * costs more than everything else here.
 */
final class VectorPanels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int PANEL = 4 * L;
    /** 512-bit vectors: 32 registers, room for the 16 accumulators of a 4-key tile. */
    static final boolean WIDE = S.vectorBitSize() >= 512;
    /** Keys per block of a batch: enough to reuse each weight, few enough for L1/L2. */
    static final int BLOCK = 32;

    /**
     * Bound on the argument of the exp inside sigmoid: beyond ±20 sigmoid is within 2.1e-9 of 0 or
     * 1 (tanh, evaluated at 2x, within 4.2e-9), and a product of four (1 + e^20) stays below 1e35.
     */
    private static final float CLAMP = 20f;
    /** A panel's four exps go one per block of rows of the next panel. */
    private static final int EXP_BLOCKS = PANEL / L;
    private static final float LOG2E = 1.44269504088896341f;
    /**
     * 1.5·2^23 + 127: adding it to x·log2(e) rounds that to an integer k and leaves k + 127, the
     * biased exponent of 2^k, in the low mantissa bits, so that one shift left by 23 makes 2^k's
     * bits (for |k| ≤ 126; the clamps keep |k| ≤ 29).
     */
    private static final float ROUND_127 = 12583039f;
    /** ln 2 split so that n·LN2_HI is exact for the n that occur (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /**
     * Minimax polynomial for (e^r - 1 - r) / r² on |r| ≤ ln2/2 (Cephes expf coefficients),
     * evaluated as e^r = 1 + r·(1 + r·(P5 + r·(P4 + …))).
     */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorPanels() {}

    /** The vector kernels' one-line description: vector width and weight alignment. */
    static String describe() {
        return "vector (" + S.vectorBitSize() + "-bit, " + L + " float lanes; " + AlignedFloats.describe() + ")";
    }

    /** {@code cols} floats, 64-byte aligned (see {@link AlignedFloats}), element i being {@code value(i)}. */
    static AlignedFloats.Slice alignedVector(int cols, java.util.function.IntToDoubleFunction value) {
        AlignedFloats.Slice slice = AlignedFloats.allocate(cols);
        for (int i = 0; i < cols; i++) {
            slice.array()[slice.offset() + i] = (float) value.applyAsDouble(i);
        }
        return slice;
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** An element of the matrix being packed. */
    @FunctionalInterface
    interface Source {
        float at(int row, int col);
    }

    /**
     * Packs a [rows x cols] matrix, cols a multiple of {@link #PANEL}, panel by panel, into 64-byte
     * aligned storage ({@link AlignedFloats}): with 512-bit vectors every load is then one cache
     * line.
     */
    static AlignedFloats.Slice pack(int rows, int cols, Source source) {
        int panels = cols / PANEL;
        AlignedFloats.Slice slice = AlignedFloats.allocate(panels * rows * PANEL);
        float[] out = slice.array();
        for (int p = 0; p < panels; p++) {
            for (int r = 0; r < rows; r++) {
                int dst = slice.offset() + (p * rows + r) * PANEL;
                for (int c = 0; c < PANEL; c++) {
                    out[dst + c] = source.at(r, p * PANEL + c);
                }
            }
        }
        return slice;
    }

    /**
     * One key: {@code z[z0, z0 + panels·PANEL) = b + xh·W} for {@code W} packed in {@code wp} and
     * {@code b} from {@code bp[b0]}, one panel at a time; {@code reverse} walks the panels from the
     * end, see {@code VectorLstmKernel#step}.
     */
    static void multiply(AlignedFloats.Slice wp, float[] bp, int b0, int panels, int rows, float[] xh,
            float[] z, int z0, boolean reverse) {
        int stride = rows * PANEL;
        float[] w = wp.array();
        int w0 = wp.offset();
        for (int q = 0; q < panels; q++) {
            int p = reverse ? panels - 1 - q : q;
            rows1x4(w, w0 + p * stride, bp, b0 + p * PANEL, xh, 0, 0, rows, z, z0 + p * PANEL);
        }
    }

    /**
     * One key: {@code z[z0, z0 + panels·PANEL) = 1 + e^(b + xh·W)}, the sigmoid denominators of
     * {@link #multiply}'s sums (the same sums, bit for bit; the kernels store W and b negated). Walking one panel at a time, in the order
     * {@code reverse} gives, each panel's exps are worked in between the next panel's blocks of
     * rows: the row loop waits on weights streamed from L2 most of the time and leaves the vector
     * units idle, and out-of-order execution only looks a few hundred instructions ahead, so exps
     * placed after a whole panel ran after its stream instead of beside the next one.
     */
    static void multiplyDenominators(AlignedFloats.Slice wp, float[] bp, int b0, int panels, int rows,
            float[] xh, float[] z, int z0, boolean reverse) {
        int stride = rows * PANEL;
        float[] w = wp.array();
        int w0 = wp.offset();
        int prev = -1;
        for (int q = 0; q < panels; q++) {
            int p = reverse ? panels - 1 - q : q;
            int zo = z0 + p * PANEL;
            int wo = w0 + p * stride;
            if (prev < 0) {
                // The first panel has no exps to work in: one pass, no partial sums through z.
                rows1x4(w, wo, bp, b0 + p * PANEL, xh, 0, 0, rows, z, zo);
            } else {
                for (int c = 0; c < EXP_BLOCKS; c++) {
                    int r0 = c * rows / EXP_BLOCKS;
                    int r1 = (c + 1) * rows / EXP_BLOCKS;
                    rows1x4(w, wo, c == 0 ? bp : z, c == 0 ? b0 + p * PANEL : zo, xh, 0, r0, r1, z, zo);
                    exp(z, prev + c * L, CLAMP, 1f);
                }
            }
            prev = zo;
        }
        denominators(z, prev, PANEL);
    }

    /**
     * Rows {@code [r0, r1)} of one panel for one key: {@code z[zo, zo + PANEL) = acc[ao, ao +
     * PANEL) + Σ xh[x + r]·W[r]}, one FMA per row in row order, so a sum split into blocks of rows
     * is the same as one pass.
     */
    static void rows1x4(float[] wp, int w, float[] acc, int ao, float[] xh, int x, int r0, int r1, float[] z,
            int zo) {
        FloatVector a0 = FloatVector.fromArray(S, acc, ao);
        FloatVector a1 = FloatVector.fromArray(S, acc, ao + L);
        FloatVector a2 = FloatVector.fromArray(S, acc, ao + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, ao + 3 * L);
        for (int r = r0; r < r1; r++) {
            FloatVector v = FloatVector.broadcast(S, xh[x + r]);
            int i = w + r * PANEL;
            a0 = FloatVector.fromArray(S, wp, i).fma(v, a0);
            a1 = FloatVector.fromArray(S, wp, i + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, wp, i + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, wp, i + 3 * L).fma(v, a3);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + L);
        a2.intoArray(z, zo + 2 * L);
        a3.intoArray(z, zo + 3 * L);
    }

    /**
     * The first {@code nb} keys of a block: row i of {@code z} (stride {@code zStride}) gets
     * {@code b + xh_i·W}, xh_i being row i of {@code xh} (stride {@code rows}). For each panel,
     * tiles of 4 keys (2 below 512-bit vectors, where 16 accumulators would not fit in the 16
     * registers) share every weight load, and the panel stays in L1 from one tile to the next.
     */
    static void multiplyBatch(AlignedFloats.Slice packed, float[] bp, int b0, int panels, int rows,
            float[] xh, int nb, float[] z, int z0, int zStride) {
        int stride = rows * PANEL;
        float[] wp = packed.array();
        for (int p = 0; p < panels; p++) {
            int w = packed.offset() + p * stride;
            int b = b0 + p * PANEL;
            int zo = z0 + p * PANEL;
            int i = 0;
            if (WIDE) {
                for (; i + 4 <= nb; i += 4) {
                    tile4x4(wp, w, bp, b, xh, i * rows, rows, z, zo + i * zStride, zStride);
                }
            }
            for (; i + 2 <= nb; i += 2) {
                tile2x4(wp, w, bp, b, xh, i * rows, rows, z, zo + i * zStride, zStride);
            }
            for (; i < nb; i++) {
                rows1x4(wp, w, bp, b, xh, i * rows, 0, rows, z, zo + i * zStride);
            }
        }
    }

    /** Two keys (rows {@code x} and {@code x + rows} of xh), one panel. */
    static void tile2x4(float[] wp, int w, float[] bp, int b, float[] xh, int x, int rows,
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
        for (int r = 0; r < rows; r++) {
            int i = w + r * PANEL;
            FloatVector w0 = FloatVector.fromArray(S, wp, i);
            FloatVector w1 = FloatVector.fromArray(S, wp, i + L);
            FloatVector w2 = FloatVector.fromArray(S, wp, i + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, wp, i + 3 * L);
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
    static void tile4x4(float[] wp, int w, float[] bp, int b, float[] xh, int x, int rows,
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
        for (int r = 0; r < rows; r++) {
            int i = w + r * PANEL;
            FloatVector w0 = FloatVector.fromArray(S, wp, i);
            FloatVector w1 = FloatVector.fromArray(S, wp, i + L);
            FloatVector w2 = FloatVector.fromArray(S, wp, i + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, wp, i + 3 * L);
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
     * {@code a[off, off + n) = 1 + e^a[off, off + n)} for n a multiple of L, the exponent clamped
     * to ±{@link #CLAMP}: the denominator of the sigmoid of -a. The kernels store their weights
     * negated, so that their sums arrive here as -x and no lane needs a sign change; see {@link
     * #exps}.
     */
    static void denominators(float[] a, int off, int n) {
        exps(a, off, n, CLAMP, 1f);
    }

    /**
     * {@code a[j] = plus + e^clamp(a[j], -bound, bound)} for j in [off, off + n), n a multiple of L, in
     * float: e^x = 2^k·e^r with k = round(x/ln2) and r = x - k·ln2 (ln 2 in two parts, Cody and
     * Waite), e^r from a degree-7 polynomial in Horner form and 2^k written straight into the
     * exponent bits; about 1e-7 relative error. {@code VectorOperators.EXP} would cost a scalar
     * Math.exp per lane on JDK 17. The exp is written out in this loop rather than in a helper
     * because a helper taking or returning a vector that C2 declines to inline boxes every vector;
     * the scalars here become loop invariants once this method is inlined.
     *
     * <p>The sigmoid denominators (±{@link #CLAMP}, plus 1) and a Gaussian head's standard
     * deviations (the log-sd clamp, plus 0) both come from here; plus 0 leaves the product's
     * rounding alone.
     */
    static void exps(float[] a, int off, int n, float bound, float plus) {
        for (int j = off; j < off + n; j += L) {
            exp(a, j, bound, plus);
        }
    }

    /** {@link #exps} for the one vector at {@code a[j, j + L)}. */
    static void exp(float[] a, int j, float bound, float plus) {
        // The clamp works on the bits: |x|'s, an integer min with bound's (the order of
        // non-negative floats is that of their bits), then x's sign back. Compare and blend would
        // be the natural code, but JDK 17's C2 turns each comparison's mask into a vector and back
        // (four instructions, two of them loads of constants, per side). A NaN becomes ±bound.
        IntVector bits = FloatVector.fromArray(S, a, j).reinterpretAsInts();
        FloatVector x = bits.and(0x7FFFFFFF).min(Float.floatToRawIntBits(bound)).or(bits.and(0x80000000))
                .reinterpretAsFloats();
        FloatVector t = x.fma(LOG2E, ROUND_127);
        FloatVector k = t.sub(ROUND_127);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        FloatVector scale = t.reinterpretAsInts()
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        p.fma(scale, FloatVector.broadcast(S, plus)).intoArray(a, j);
    }
}
