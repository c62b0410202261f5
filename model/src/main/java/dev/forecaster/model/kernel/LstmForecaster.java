package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * Single-step inference of a recurrent forecaster in plain Java, for every {@link CellType}
 * (the name predates the GRU and Elman cells; it is kept because the Flink jobs and their state
 * name it). Numerically equivalent to the DL4J network {@code Dl4jModels} builds: a stack of
 * recurrent layers followed by an identity {@code RnnOutputLayer}. It deliberately does not touch
 * ND4J: it runs inside Flink task managers per event, where native library loading, off-heap
 * workspaces and per-call JNI overhead would cost far more than the arithmetic of one time step.
 *
 * <p>Per layer, with x the layer's input, h its previous output and the pre-activation axis split
 * into H-unit blocks in the order DL4J's parameters use (docs/kernel.md):
 *
 * <pre>
 *   LSTM (DL4J LSTM, no peepholes), blocks [a | f | o | i]:
 *     z  = x·W + h·RW + b
 *     a  = tanh(z_a),  f = σ(z_f),  o = σ(z_o),  i = σ(z_i)
 *     c' = f∘c + i∘a,  h' = o∘tanh(c')
 *   GRU (Cho et al. 2014: reset before the recurrent product; our SameDiff layer), blocks [r | z | n]:
 *     r  = σ(x·W_r + h·RW_r + b_r),  u = σ(x·W_z + h·RW_z + b_z)
 *     n  = tanh(x·W_n + (r∘h)·RW_n + b_n)
 *     h' = (1 - u)∘n + u∘h
 *   RNN (Elman, DL4J SimpleRnn), one block:
 *     h' = tanh(x·W + h·RW + b)
 * </pre>
 *
 * and the head computes {@code out = h_last·W_out + b_out}: {@code horizon} means for a point head;
 * for a Gaussian head ({@link HeadKind#GAUSSIAN}) {@code 2·horizon} values, means and then log-sds,
 * of which the kernel returns the standard deviations {@code exp(clamp(log-sd, -7, 7))}.
 *
 * <p>The arithmetic runs in a {@link StepKernel}: a JDK Vector API kernel when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, otherwise a scalar one (see {@link
 * StepKernels}; {@code -Dforecaster.kernel=scalar|vector|auto} overrides). Both agree with DL4J to
 * 1e-5 and with each other to about 1e-7.
 *
 * <p>Weights are immutable and shared; {@link #step} uses per-instance scratch buffers, so one
 * instance must be driven by one thread at a time (Flink gives every parallel operator instance
 * its own copy when it deserialises the operator, which is enough).
 */
public final class LstmForecaster implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final String name;
    private final long version;

    /** Per layer, [nIn x B·H] row-major (B blocks per cell): row k holds input k's contribution to every block. */
    private final float[][] w;
    /** Per layer, [H x B·H] row-major. */
    private final float[][] rw;
    /** Per layer, [B·H]. */
    private final float[][] b;
    /** [H x outputs] row-major, outputs = {@link ModelSpec#outputs()}. */
    private final float[] headW;
    /** [outputs]. */
    private final float[] headB;
    /**
     * The snapshot's spread factors, which {@link #step} does not apply (its outputs are the raw
     * head's); {@link SeriesForecaster} does. Null in instances serialised before it existed.
     */
    private final SpreadCalibration spreadCalibration;

    /** Rebuilt after deserialisation, so the receiving JVM chooses its own kernel. */
    private transient StepKernel kernel;
    /**
     * The spec's sizes that {@link #check} compares, kept as plain ints: going through the spec's
     * accessors cost about 1.5 % of a step at H = 64 (docs/kernel.md, "Session 24"). Set with
     * {@link #kernel}.
     */
    private transient int inputSize;
    private transient int outputs;
    private transient int layers;
    private transient int hidden;
    private transient int cells;

    private LstmForecaster(ModelSpec spec, String name, long version, float[][] w, float[][] rw,
            float[][] b, float[] headW, float[] headB, SpreadCalibration spreadCalibration) {
        this.spec = spec;
        this.name = name;
        this.version = version;
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.headW = headW;
        this.headB = headB;
        this.spreadCalibration = spreadCalibration;
        init();
    }

    private void init() {
        kernel = StepKernels.create(weights());
        inputSize = spec.inputSize();
        outputs = spec.outputs();
        layers = spec.layers();
        hidden = spec.hiddenSize();
        cells = spec.cellType().hasCellState() ? hidden : 0;
    }

    CellWeights weights() {
        return new CellWeights(spec, w, rw, b, headW, headB);
    }

    /**
     * @throws IllegalArgumentException when the snapshot's cell type is unknown or its tensors are
     *     missing or of the wrong shape (the optional {@link SpreadCalibration#TENSOR} included)
     */
    public static LstmForecaster fromSnapshot(ModelSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        int hidden = spec.hiddenSize();
        int gates = spec.cellType().blocks() * hidden;
        int layers = spec.layers();
        float[][] w = new float[layers][];
        float[][] rw = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int nIn = spec.layerInputs(l);
            w[l] = Tensors.floats(snapshot, Tensors.inputWeights(l), nIn, gates);
            rw[l] = Tensors.floats(snapshot, Tensors.recurrentWeights(l), hidden, gates);
            b[l] = Tensors.floats(snapshot, Tensors.bias(l), gates);
        }
        float[] headW = Tensors.floats(snapshot, Tensors.headWeights(layers), hidden, spec.outputs());
        float[] headB = Tensors.floats(snapshot, Tensors.headBias(layers), spec.outputs());
        return new LstmForecaster(spec, snapshot.getName(), snapshot.getVersion(), w, rw, b, headW, headB,
                SpreadCalibration.of(snapshot));
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

    /**
     * The multipliers of the head's standard deviations that serving applies after {@link #step}
     * (the identity for a point head or an uncalibrated snapshot).
     */
    public SpreadCalibration spreadCalibration() {
        return spreadCalibration != null ? spreadCalibration : SpreadCalibration.identity(spec.horizon());
    }

    public RecurrentState newState() {
        return RecurrentState.zeros(spec);
    }

    /**
     * Advances every layer one time step, updating {@code state} in place, and writes the head's
     * {@link ModelSpec#outputs()} values (normalised units) to {@code out}: the means of steps
     * 1..H, and for a Gaussian head then their standard deviations.
     *
     * <p>Not thread-safe: uses this instance's scratch buffer.
     *
     * @param input {@code inputSize} features of this step
     * @param out at least {@code spec().outputs()} long
     */
    public void step(RecurrentState state, float[] input, float[] out) {
        check(state, input, out, -1);
        kernel.step(state, input, out);
    }

    /**
     * {@link #step} for every key of the arrays, which must be equally long: the same results as
     * stepping the keys one by one, but the vector kernel shares each weight it loads among several
     * keys, which makes a step two to three times cheaper per key (docs/kernel.md).
     *
     * @param states distinct states (one key's state twice in a batch would be stepped from its old
     *     value both times)
     * @throws IllegalArgumentException when a key's arguments are unfit; then no state is changed
     */
    public void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs) {
        if (inputs.length != states.length || outs.length != states.length) {
            throw new IllegalArgumentException("states, inputs and outs differ in length: "
                    + states.length + ", " + inputs.length + ", " + outs.length);
        }
        stepBatch(states, inputs, outs, states.length);
    }

    /** As {@link #stepBatch(RecurrentState[], float[][], float[][])} for the first {@code count} keys. */
    public void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs, int count) {
        if (count < 0 || count > states.length || count > inputs.length || count > outs.length) {
            throw new IllegalArgumentException("count " + count + " out of range for arrays of "
                    + states.length + ", " + inputs.length + " and " + outs.length);
        }
        for (int k = 0; k < count; k++) {
            check(states[k], inputs[k], outs[k], k);
        }
        assert distinct(states, count) : "a state appears twice in one batch";
        kernel.stepBatch(states, inputs, outs, count);
    }

    private void check(RecurrentState state, float[] input, float[] out, int key) {
        if (input.length < inputSize) {
            throw new IllegalArgumentException(where(key)
                    + "input has " + input.length + " features, model needs " + inputSize);
        }
        if (out.length < outputs) {
            throw new IllegalArgumentException(where(key)
                    + "out has room for " + out.length + " values, the head emits " + outputs);
        }
        if (!state.matches(layers, hidden, cells)) {
            throw new IllegalArgumentException(where(key) + state + " does not fit " + spec);
        }
    }

    private static String where(int key) {
        return key < 0 ? "" : "key " + key + ": ";
    }

    private static boolean distinct(RecurrentState[] states, int count) {
        Set<RecurrentState> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int k = 0; k < count; k++) {
            if (!seen.add(states[k])) {
                return false;
            }
        }
        return true;
    }

    /** {@code vector} or {@code scalar}: the kernel this instance runs. */
    public String kernelName() {
        return kernel.name();
    }

    /** The kernel with its vector width, for logs and reports. */
    public String kernelDescription() {
        return kernel.describe();
    }

    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * tanh through {@link Math#exp}, an intrinsic: on Java 17 {@link Math#tanh} is a native fdlibm
     * call costing about twice as much, and an LSTM step evaluates 2H of them. Saturates correctly
     * (exp overflowing to infinity gives 1) and is accurate to ~1e-16 absolute, far below float
     * resolution.
     */
    public static double tanh(double x) {
        return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        init();
    }

    @Override
    public String toString() {
        return "LstmForecaster{" + name + " v" + version + ", " + spec + ", " + kernel.name() + " kernel}";
    }
}
