package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Objects;

/**
 * Single-step LSTM inference in plain Java, numerically equivalent to DL4J's {@code LSTM} layer
 * (tanh cell input, sigmoid gates, no peepholes) followed by an identity {@code RnnOutputLayer}.
 * It deliberately does not touch ND4J: it runs inside Flink task managers per event, where native
 * library loading, off-heap workspaces and per-call JNI overhead would cost far more than the
 * arithmetic of one time step.
 *
 * <p>Per layer, with the 4H pre-activation axis split into DL4J's gate blocks [a | f | o | i]:
 *
 * <pre>
 *   z  = x·W + h·RW + b
 *   a  = tanh(z[0:H]),  f = σ(z[H:2H]),  o = σ(z[2H:3H]),  i = σ(z[3H:4H])
 *   c' = f∘c + i∘a,     h' = o∘tanh(c')
 * </pre>
 *
 * and the head computes {@code out = h_last·W_out + b_out}.
 *
 * <p>Weights are immutable and shared; {@link #step} uses a per-instance scratch buffer, so one
 * instance must be driven by one thread at a time (Flink gives every parallel operator instance
 * its own copy when it deserialises the operator, which is enough).
 */
public final class LstmForecaster implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final String name;
    private final long version;

    /** Per layer, [nIn x 4H] row-major: row k holds input k's contribution to every gate. */
    private final float[][] w;
    /** Per layer, [H x 4H] row-major. */
    private final float[][] rw;
    /** Per layer, [4H]. */
    private final float[][] b;
    /** [H x horizon] row-major. */
    private final float[] headW;
    /** [horizon]. */
    private final float[] headB;

    /** Pre-activations of the layer being stepped. */
    private transient float[] z;

    private LstmForecaster(ModelSpec spec, String name, long version, float[][] w, float[][] rw,
            float[][] b, float[] headW, float[] headB) {
        this.spec = spec;
        this.name = name;
        this.version = version;
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.headW = headW;
        this.headB = headB;
        this.z = new float[4 * spec.hiddenSize()];
    }

    /**
     * @throws IllegalArgumentException when the snapshot is not an LSTM or its tensors are missing
     *     or of the wrong shape
     */
    public static LstmForecaster fromSnapshot(ModelSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        if (spec.cellType() != CellType.LSTM) {
            throw new IllegalArgumentException(
                    "LstmForecaster cannot run a " + spec.cellType() + " model");
        }
        int hidden = spec.hiddenSize();
        int gates = 4 * hidden;
        int layers = spec.layers();
        float[][] w = new float[layers][];
        float[][] rw = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int nIn = l == 0 ? spec.inputSize() : hidden;
            w[l] = Tensors.floats(snapshot, Tensors.inputWeights(l), nIn, gates);
            rw[l] = Tensors.floats(snapshot, Tensors.recurrentWeights(l), hidden, gates);
            b[l] = Tensors.floats(snapshot, Tensors.bias(l), gates);
        }
        float[] headW = Tensors.floats(snapshot, Tensors.headWeights(layers), hidden, spec.horizon());
        float[] headB = Tensors.floats(snapshot, Tensors.headBias(layers), spec.horizon());
        return new LstmForecaster(
                spec, snapshot.getName(), snapshot.getVersion(), w, rw, b, headW, headB);
    }

    public ModelSpec spec() {
        return spec;
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public RecurrentState newState() {
        return RecurrentState.zeros(spec);
    }

    /**
     * Advances every layer one time step, updating {@code state} in place, and writes the head's
     * {@code horizon} outputs (normalised units) to {@code out}.
     *
     * <p>Not thread-safe: uses this instance's scratch buffer.
     *
     * @param input {@code inputSize} features of this step
     * @param out at least {@code horizon} long
     */
    public void step(RecurrentState state, float[] input, float[] out) {
        int hidden = spec.hiddenSize();
        if (input.length < spec.inputSize()) {
            throw new IllegalArgumentException(
                    "input has " + input.length + " features, model needs " + spec.inputSize());
        }
        if (out.length < spec.horizon()) {
            throw new IllegalArgumentException(
                    "out has room for " + out.length + " values, horizon is " + spec.horizon());
        }
        if (!state.matches(spec)) {
            throw new IllegalArgumentException(state + " does not fit " + spec);
        }
        float[] x = input;
        int nIn = spec.inputSize();
        for (int l = 0; l < spec.layers(); l++) {
            float[] h = state.h[l];
            float[] c = state.c[l];
            preActivations(x, nIn, h, hidden, l);
            cellUpdate(h, c, hidden);
            x = h;
            nIn = hidden;
        }
        head(x, hidden, out);
    }

    private void preActivations(float[] x, int nIn, float[] h, int hidden, int layer) {
        float[] zz = z;
        int gates = 4 * hidden;
        System.arraycopy(b[layer], 0, zz, 0, gates);
        accumulate(zz, x, nIn, w[layer], gates);
        accumulate(zz, h, hidden, rw[layer], gates);
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

    private void cellUpdate(float[] h, float[] c, int hidden) {
        float[] zz = z;
        for (int j = 0; j < hidden; j++) {
            double a = tanh(zz[j]);
            double f = sigmoid(zz[hidden + j]);
            double o = sigmoid(zz[2 * hidden + j]);
            double i = sigmoid(zz[3 * hidden + j]);
            float cj = (float) (f * c[j] + i * a);
            c[j] = cj;
            h[j] = (float) (o * tanh(cj));
        }
    }

    private void head(float[] hLast, int hidden, float[] out) {
        int horizon = spec.horizon();
        System.arraycopy(headB, 0, out, 0, horizon);
        accumulate(out, hLast, hidden, headW, horizon);
    }

    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * tanh through {@link Math#exp}, an intrinsic: on Java 17 {@link Math#tanh} is a native fdlibm
     * call costing about twice as much, and a step evaluates 2H of them. Saturates correctly
     * (exp overflowing to infinity gives 1) and is accurate to ~1e-16 absolute, far below float
     * resolution.
     */
    public static double tanh(double x) {
        return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        z = new float[4 * spec.hiddenSize()];
    }

    @Override
    public String toString() {
        return "LstmForecaster{" + name + " v" + version + ", " + spec + '}';
    }
}
