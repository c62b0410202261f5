package dev.forecaster.model.kernel;

import jdk.incubator.vector.FloatVector;

import dev.forecaster.model.HeadKind;

import static dev.forecaster.model.kernel.VectorPanels.L;
import static dev.forecaster.model.kernel.VectorPanels.S;

/**
 * The linear head on the Vector API, shared by the vector kernels and by their single and batched
 * paths, so that all round alike; a Gaussian head's log-sds become standard deviations through the
 * vector exp of the sigmoids ({@link VectorPanels#exps}), with the clamp of {@link HeadKind#sd}.
 * Owns scratch buffers: one thread at a time.
 */
final class VectorHead {

    private final int hidden;
    /** Head outputs: the horizon, or twice it for a Gaussian head. */
    private final int outputs;
    private final int outputsP;
    /** The horizon when the head is Gaussian (the first log-sd's index), else 0. */
    private final int gaussianHorizon;
    /**
     * Blocks of L outputs, each [H x L], so that each block's pass over h reads memory in order;
     * zero beyond horizon; from {@link #headOffset} on, 64-byte aligned.
     */
    private final float[] headW;
    private final int headOffset;
    /** The bias and the outputs, each from its offset on (64-byte aligned, as {@link #headW}). */
    private final float[] headB;
    private final int headB0;
    private final float[] outP;
    private final int outP0;
    /** A Gaussian head's log-sds, padded to a multiple of L: the exp works in whole vectors. */
    private final float[] sd;

    VectorHead(CellWeights weights) {
        hidden = weights.spec().hiddenSize();
        outputs = weights.spec().outputs();
        outputsP = VectorPanels.roundUp(outputs, L);
        gaussianHorizon = weights.gaussian() ? weights.spec().horizon() : 0;
        AlignedFloats.Slice slice = AlignedFloats.allocate(hidden * outputsP);
        headW = slice.array();
        headOffset = slice.offset();
        for (int k = 0; k < hidden; k++) {
            for (int m = 0; m < outputs; m++) {
                int q = m / L;
                headW[headOffset + (q * hidden + k) * L + m % L] = weights.headW()[k * outputs + m];
            }
        }
        AlignedFloats.Slice bs = VectorPanels.alignedVector(outputsP, m -> m < outputs ? weights.headB()[m] : 0f);
        headB = bs.array();
        headB0 = bs.offset();
        AlignedFloats.Slice os = AlignedFloats.allocate(outputsP);
        outP = os.array();
        outP0 = os.offset();
        sd = new float[VectorPanels.roundUp(gaussianHorizon, L)];
    }

    /** {@code out[0, outputs) = h·W + b}, a Gaussian head's log-sds then turned into standard deviations. */
    void apply(float[] h, float[] out) {
        linear(h, out);
        if (gaussianHorizon > 0) {
            spreads(out);
        }
    }

    /**
     * {@code out[H, 2H)}: log-sds in, standard deviations out, clamped as in training ({@link
     * HeadKind#sd}). A scalar {@code Math.exp} per step cost about as much as the rest of the step
     * at H = 64 (24 of them, 0.6–0.8 µs); the float exp differs from it by about 1e-7 relatively.
     */
    private void spreads(float[] out) {
        System.arraycopy(out, gaussianHorizon, sd, 0, gaussianHorizon);
        // The log-sd clamp is symmetric (HeadKind.MIN_LOG_SD = -MAX_LOG_SD), as exps' clamp is.
        VectorPanels.exps(sd, 0, sd.length, (float) HeadKind.MAX_LOG_SD, 0f);
        System.arraycopy(sd, 0, out, gaussianHorizon, gaussianHorizon);
    }

    /**
     * {@code out[0, outputs) = h·W + b}. Kept apart from {@link #apply} so that its bytecode stays
     * under C2's inlining limit for hot methods (FreqInlineSize, 325 bytes): with the Gaussian
     * branch inside it grew to 336 bytes, stopped being inlined into the kernels' steps, and the
     * point head's step measured 10–30 % slower.
     */
    private void linear(float[] h, float[] out) {
        int q = 0;
        for (; q + L < outputsP; q += 2 * L) {
            pair(h, q);
        }
        if (q < outputsP) {
            single(h, q);
        }
        System.arraycopy(outP, outP0, out, 0, outputs);
    }

    /**
     * Outputs [q, q + 2L): two blocks at once, so that each broadcast of an h value feeds two FMAs
     * (a broadcast competes with the FMAs for the same execution port). Per block the sums are
     * those of {@link #single}: four partial sums by k mod 4, joined alike, so the result does not
     * depend on which routine computed a block.
     */
    private void pair(float[] h, int q) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        int w0 = headOffset + q * hidden;
        int u0 = w0 + L * hidden;
        int k = 0;
        // Offsets linear in k, not stepped alongside it: C2 then drops the loads' range checks.
        for (; k + 3 < hidden; k += 4) {
            int w = w0 + k * L;
            int u = u0 + k * L;
            FloatVector v0 = FloatVector.broadcast(S, h[k]);
            FloatVector v1 = FloatVector.broadcast(S, h[k + 1]);
            FloatVector v2 = FloatVector.broadcast(S, h[k + 2]);
            FloatVector v3 = FloatVector.broadcast(S, h[k + 3]);
            s0 = FloatVector.fromArray(S, headW, w).fma(v0, s0);
            t0 = FloatVector.fromArray(S, headW, u).fma(v0, t0);
            s1 = FloatVector.fromArray(S, headW, w + L).fma(v1, s1);
            t1 = FloatVector.fromArray(S, headW, u + L).fma(v1, t1);
            s2 = FloatVector.fromArray(S, headW, w + 2 * L).fma(v2, s2);
            t2 = FloatVector.fromArray(S, headW, u + 2 * L).fma(v2, t2);
            s3 = FloatVector.fromArray(S, headW, w + 3 * L).fma(v3, s3);
            t3 = FloatVector.fromArray(S, headW, u + 3 * L).fma(v3, t3);
        }
        for (; k < hidden; k++) {
            FloatVector v = FloatVector.broadcast(S, h[k]);
            s0 = FloatVector.fromArray(S, headW, w0 + k * L).fma(v, s0);
            t0 = FloatVector.fromArray(S, headW, u0 + k * L).fma(v, t0);
        }
        s0.add(s1).add(s2.add(s3)).add(FloatVector.fromArray(S, headB, headB0 + q)).intoArray(outP, outP0 + q);
        t0.add(t1).add(t2.add(t3)).add(FloatVector.fromArray(S, headB, headB0 + q + L))
                .intoArray(outP, outP0 + q + L);
    }

    /** Outputs [q, q + L). */
    private void single(float[] h, int q) {
        // Four partial sums: one chain of H dependent FMAs would leave the FPU idle.
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int w0 = headOffset + q * hidden;
        int k = 0;
        for (; k + 3 < hidden; k += 4) {
            int w = w0 + k * L;
            s0 = FloatVector.fromArray(S, headW, w).fma(FloatVector.broadcast(S, h[k]), s0);
            s1 = FloatVector.fromArray(S, headW, w + L).fma(FloatVector.broadcast(S, h[k + 1]), s1);
            s2 = FloatVector.fromArray(S, headW, w + 2 * L).fma(FloatVector.broadcast(S, h[k + 2]), s2);
            s3 = FloatVector.fromArray(S, headW, w + 3 * L).fma(FloatVector.broadcast(S, h[k + 3]), s3);
        }
        for (; k < hidden; k++) {
            s0 = FloatVector.fromArray(S, headW, w0 + k * L).fma(FloatVector.broadcast(S, h[k]), s0);
        }
        s0.add(s1).add(s2.add(s3)).add(FloatVector.fromArray(S, headB, headB0 + q)).intoArray(outP, outP0 + q);
    }
}
