package dev.forecaster.model.kernel;

import dev.forecaster.model.HeadKind;

/** Loops shared by the scalar kernels. */
final class ScalarMath {

    private ScalarMath() {}

    /**
     * {@code z[zOff + j] += Σ_k v[k] · m[mOff + k·stride + j]} for j < cols and k < rows: columns
     * {@code mOff .. mOff+cols} of a row-major matrix with {@code stride} columns. Row-at-a-time
     * saxpy keeps the inner loop contiguous, which C2 vectorises (a dot-product order would stride
     * through memory); taking four rows per pass quarters the loads and stores of z, the loop's
     * bottleneck.
     */
    static void accumulate(float[] z, int zOff, float[] v, int rows, float[] m, int mOff, int stride,
            int cols) {
        int k = 0;
        for (; k + 3 < rows; k += 4) {
            float v0 = v[k];
            float v1 = v[k + 1];
            float v2 = v[k + 2];
            float v3 = v[k + 3];
            int r0 = mOff + k * stride;
            int r1 = r0 + stride;
            int r2 = r1 + stride;
            int r3 = r2 + stride;
            for (int j = 0; j < cols; j++) {
                z[zOff + j] += v0 * m[r0 + j] + v1 * m[r1 + j] + v2 * m[r2 + j] + v3 * m[r3 + j];
            }
        }
        for (; k < rows; k++) {
            float vk = v[k];
            int row = mOff + k * stride;
            for (int j = 0; j < cols; j++) {
                z[zOff + j] += vk * m[row + j];
            }
        }
    }

    /** {@code z += v · m} for a whole row-major [rows x cols] matrix. */
    static void accumulate(float[] z, float[] v, int rows, float[] m, int cols) {
        accumulate(z, 0, v, rows, m, 0, cols, cols);
    }

    /**
     * The head: {@code out = h · headW + headB}, then for a Gaussian head the second half turned
     * from log-sds into standard deviations ({@link #spreads}).
     */
    static void head(CellWeights weights, float[] h, float[] out) {
        int outputs = weights.spec().outputs();
        System.arraycopy(weights.headB(), 0, out, 0, outputs);
        accumulate(out, h, weights.spec().hiddenSize(), weights.headW(), outputs);
        if (weights.gaussian()) {
            spreads(out, weights.spec().horizon());
        }
    }

    /**
     * {@code out[H, 2H)}: raw log-sds in, standard deviations out, with the clamp the loss applied
     * in training ({@link HeadKind#sd}), in double. The vector head takes a float exp instead
     * ({@code VectorHead#spreads}), within about 1e-7 relatively of this.
     */
    static void spreads(float[] out, int horizon) {
        for (int m = horizon; m < 2 * horizon; m++) {
            out[m] = (float) HeadKind.sd(out[m]);
        }
    }
}
