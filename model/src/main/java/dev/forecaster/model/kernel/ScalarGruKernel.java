package dev.forecaster.model.kernel;

/**
 * Plain-Java GRU step (see {@link LstmForecaster} for the equations), the fallback and the
 * reference for {@code VectorGruKernel}. Activations in double.
 */
final class ScalarGruKernel implements StepKernel {

    private final CellWeights weights;
    private final int hidden;
    /** Pre-activations [r | z | n] of the layer being stepped. */
    private final float[] z;
    /** r∘h. */
    private final float[] rh;

    ScalarGruKernel(CellWeights weights) {
        this.weights = weights;
        this.hidden = weights.spec().hiddenSize();
        this.z = new float[3 * hidden];
        this.rh = new float[hidden];
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void step(RecurrentState state, float[] input, float[] out) {
        float[] x = input;
        int layers = weights.spec().layers();
        int cols = 3 * hidden;
        for (int l = 0; l < layers; l++) {
            float[] h = state.h[l];
            float[] rw = weights.rw()[l];
            System.arraycopy(weights.b()[l], 0, z, 0, cols);
            ScalarMath.accumulate(z, x, weights.layerInputs(l), weights.w()[l], cols);
            // r and z see h; the candidate n sees r∘h, so its recurrent product waits for r.
            ScalarMath.accumulate(z, 0, h, hidden, rw, 0, cols, 2 * hidden);
            for (int j = 0; j < hidden; j++) {
                rh[j] = (float) (LstmForecaster.sigmoid(z[j]) * h[j]);
            }
            ScalarMath.accumulate(z, 2 * hidden, rh, hidden, rw, 2 * hidden, cols, hidden);
            for (int j = 0; j < hidden; j++) {
                double u = LstmForecaster.sigmoid(z[hidden + j]);
                double n = LstmForecaster.tanh(z[2 * hidden + j]);
                h[j] = (float) (n + u * (h[j] - n));
            }
            x = h;
        }
        ScalarMath.head(weights, x, out);
    }

    @Override
    public void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs, int count) {
        for (int k = 0; k < count; k++) {
            step(states[k], inputs[k], outs[k]);
        }
    }
}
