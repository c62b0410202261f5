package dev.forecaster.model.kernel;

/**
 * Plain-Java LSTM step for JVMs without {@code jdk.incubator.vector} (or when forced with {@code
 * -Dforecaster.kernel=scalar}). It relies on C2's auto-vectorisation of the saxpy loops and
 * evaluates activations in double, so it doubles as the reference the vector kernel is tested
 * against.
 */
final class ScalarLstmKernel implements StepKernel {

    private final CellWeights weights;
    private final int hidden;
    /** Pre-activations of the layer being stepped. */
    private final float[] z;

    ScalarLstmKernel(CellWeights weights) {
        this.weights = weights;
        this.hidden = weights.spec().hiddenSize();
        this.z = new float[4 * hidden];
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
            float[] c = state.c[l];
            preActivations(x, weights.layerInputs(l), h, l);
            cellUpdate(h, c);
            x = h;
        }
        ScalarMath.head(weights, x, out);
    }

    /** Key by key: without SIMD there is no weight reuse across keys worth arranging for. */
    @Override
    public void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs, int count) {
        for (int k = 0; k < count; k++) {
            step(states[k], inputs[k], outs[k]);
        }
    }

    private void preActivations(float[] x, int nIn, float[] h, int layer) {
        float[] zz = z;
        int gates = 4 * hidden;
        System.arraycopy(weights.b()[layer], 0, zz, 0, gates);
        ScalarMath.accumulate(zz, x, nIn, weights.w()[layer], gates);
        ScalarMath.accumulate(zz, h, hidden, weights.rw()[layer], gates);
    }

    private void cellUpdate(float[] h, float[] c) {
        float[] zz = z;
        for (int j = 0; j < hidden; j++) {
            double a = LstmForecaster.tanh(zz[j]);
            double f = LstmForecaster.sigmoid(zz[hidden + j]);
            double o = LstmForecaster.sigmoid(zz[2 * hidden + j]);
            double i = LstmForecaster.sigmoid(zz[3 * hidden + j]);
            float cj = (float) (f * c[j] + i * a);
            c[j] = cj;
            h[j] = (float) (o * LstmForecaster.tanh(cj));
        }
    }
}
