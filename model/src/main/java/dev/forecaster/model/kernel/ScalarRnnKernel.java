package dev.forecaster.model.kernel;

/**
 * Plain-Java Elman step, h' = tanh(x·W + h·RW + b): the fallback and the reference for {@code
 * VectorRnnKernel}.
 */
final class ScalarRnnKernel implements StepKernel {

    private final CellWeights weights;
    private final int hidden;
    private final float[] z;

    ScalarRnnKernel(CellWeights weights) {
        this.weights = weights;
        this.hidden = weights.spec().hiddenSize();
        this.z = new float[hidden];
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void step(RecurrentState state, float[] input, float[] out) {
        float[] x = input;
        int layers = weights.spec().layers();
        for (int l = 0; l < layers; l++) {
            float[] h = state.h[l];
            System.arraycopy(weights.b()[l], 0, z, 0, hidden);
            ScalarMath.accumulate(z, x, weights.layerInputs(l), weights.w()[l], hidden);
            ScalarMath.accumulate(z, h, hidden, weights.rw()[l], hidden);
            for (int j = 0; j < hidden; j++) {
                h[j] = (float) LstmForecaster.tanh(z[j]);
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
