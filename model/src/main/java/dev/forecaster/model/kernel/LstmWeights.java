package dev.forecaster.model.kernel;

import dev.forecaster.model.ModelSpec;

/**
 * A model's parameters as the snapshot stores them (row-major, DL4J gate order [a | f | o | i]
 * along 4H). Kernels read them, and may repack them, but never write to them.
 *
 * @param w per layer, [nIn x 4H]
 * @param rw per layer, [H x 4H]
 * @param b per layer, [4H]
 * @param headW [H x horizon]
 * @param headB [horizon]
 */
record LstmWeights(ModelSpec spec, float[][] w, float[][] rw, float[][] b, float[] headW,
        float[] headB) {

    int layerInputs(int layer) {
        return layer == 0 ? spec.inputSize() : spec.hiddenSize();
    }
}
