package dev.forecaster.model.kernel;

/**
 * Plain-Java step for JVMs without {@code jdk.incubator.vector} (or when forced with {@code
 * -Dforecaster.kernel=scalar}). It relies on C2's auto-vectorisation of the saxpy loops and
 * evaluates activations in double, so it doubles as the reference the vector kernel is tested
 * against.
 */
final class ScalarLstmKernel implements StepKernel {

    private final LstmWeights weights;
    private final int hidden;
    private final int horizon;
    /** Pre-activations of the layer being stepped. */
    private final float[] z;

    ScalarLstmKernel(LstmWeights weights) {
        this.weights = weights;
        this.hidden = weights.spec().hiddenSize();
        this.horizon = weights.spec().horizon();
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
        System.arraycopy(weights.headB(), 0, out, 0, horizon);
        accumulate(out, x, hidden, weights.headW(), horizon);
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
        accumulate(zz, x, nIn, weights.w()[layer], gates);
        accumulate(zz, h, hidden, weights.rw()[layer], gates);
    }

    /**
     * {@code z += v · m} for a row-major [rows x cols] matrix m. Row-at-a-time saxpy keeps the
     * inner loop contiguous, which C2 vectorises (a dot-product order would stride through
     * memory); taking four rows per pass quarters the loads and stores of z, the loop's
     * bottleneck.
     */
    private static void accumulate(float[] z, float[] v, int rows, float[] m, int cols) {
        int k = 0;
        for (; k + 3 < rows; k += 4) {
            float v0 = v[k];
            float v1 = v[k + 1];
            float v2 = v[k + 2];
            float v3 = v[k + 3];
            int r0 = k * cols;
            int r1 = r0 + cols;
            int r2 = r1 + cols;
            int r3 = r2 + cols;
            for (int j = 0; j < cols; j++) {
                z[j] += v0 * m[r0 + j] + v1 * m[r1 + j] + v2 * m[r2 + j] + v3 * m[r3 + j];
            }
        }
        for (; k < rows; k++) {
            float vk = v[k];
            int row = k * cols;
            for (int j = 0; j < cols; j++) {
                z[j] += vk * m[row + j];
            }
        }
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
