package dev.forecaster.model.kernel;

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
 * @param headW [H x horizon]
 * @param headB [horizon]
 */
record CellWeights(ModelSpec spec, float[][] w, float[][] rw, float[][] b, float[] headW,
        float[] headB) {

    int layerInputs(int layer) {
        return spec.layerInputs(layer);
    }

    /** B·H, the width of one layer's pre-activations. */
    int columns() {
        return spec.cellType().blocks() * spec.hiddenSize();
    }
}
