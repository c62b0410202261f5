package dev.forecaster.model.kernel;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;

/**
 * A model's parameters as the snapshot stores them: row-major, with the pre-activation axis of
 * {@code B = spec.cellType().blocks()} blocks of H units in DL4J's order for the cell (LSTM [a | f |
 * o | i], GRU [r | z | n], RNN a single block). Kernels read them, and may repack them, but never
 * write to them.
 *
 * @param w per layer, [nIn x B·H]
 * @param rw per layer, [H x B·H]
 * @param b per layer, [B·H]
 * @param headW [H x outputs] (outputs = horizon, or 2·horizon for a Gaussian head: means, then log-sds)
 * @param headB [outputs]
 */
record CellWeights(ModelSpec spec, float[][] w, float[][] rw, float[][] b, float[] headW,
        float[] headB) {

    int layerInputs(int layer) {
        return spec.layerInputs(layer);
    }

    /** Whether the head's second half are log-sds that the kernel turns into standard deviations. */
    boolean gaussian() {
        return spec.head() == HeadKind.GAUSSIAN;
    }

    /** B·H, the width of one layer's pre-activations. */
    int columns() {
        return spec.cellType().blocks() * spec.hiddenSize();
    }
}
