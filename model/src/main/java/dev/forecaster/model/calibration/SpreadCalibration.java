package dev.forecaster.model.calibration;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-step multipliers of a Gaussian head's standard deviations: the spread served for step k is
 * {@code factor(k) × the head's sd}, so that [mean ∓ {@link dev.forecaster.model.HeadKind#Z90} ×
 * spread] covers about 80 % of outcomes ({@link SpreadCalibrator} fits them). The head's raw
 * outputs, and so the kernels, are untouched; the factors are applied after the kernel, wherever
 * spreads leave the model.
 *
 * <p>A snapshot stores them as the tensor {@value #TENSOR} of shape [H]. It is not a network
 * parameter: DL4J never loads it, and parameter averaging carries the base's instead of averaging
 * workers'. A snapshot without it (every snapshot from before calibration, and every point head)
 * reads as the identity, so old models serve exactly as before. Immutable.
 */
public final class SpreadCalibration implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Name of the snapshot tensor holding the factors. */
    public static final String TENSOR = "spread_calibration";

    /**
     * Bounds of a factor. Inside them a factor is whatever the validation data says; beyond them
     * the head's spread bears no useful relation to the errors (e.g. a flat stretch whose errors
     * are all 0 would give factor 0 and intervals of zero width), which a multiplier cannot
     * repair, and a bound keeps p10/p90 finite and distinct from the mean. Powers of two, so that
     * they survive the float32 of snapshots exactly.
     */
    public static final double MIN_FACTOR = 1.0 / 64;
    public static final double MAX_FACTOR = 64.0;

    private final double[] factors;

    private SpreadCalibration(double[] factors) {
        this.factors = factors;
    }

    /** Factor 1 for each of {@code horizon} steps: the head's spreads as they are. */
    public static SpreadCalibration identity(int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be positive, not " + horizon);
        }
        double[] ones = new double[horizon];
        Arrays.fill(ones, 1.0);
        return new SpreadCalibration(ones);
    }

    /**
     * @param factors element k multiplies the spread k+1 steps ahead; rounded to float32
     * @throws IllegalArgumentException when there is none, or one is not finite or outside
     *     [{@value #MIN_FACTOR}, {@value #MAX_FACTOR}]
     */
    public static SpreadCalibration of(double[] factors) {
        if (factors.length == 0) {
            throw new IllegalArgumentException("no spread factors");
        }
        double[] stored = new double[factors.length];
        for (int k = 0; k < factors.length; k++) {
            double f = factors[k];
            if (!(f >= MIN_FACTOR && f <= MAX_FACTOR)) {
                throw new IllegalArgumentException("spread factor " + f + " of step " + (k + 1)
                        + " is not in [" + MIN_FACTOR + ", " + MAX_FACTOR + "]");
            }
            // Rounded as a snapshot stores it (float32), so that this calibration and the same one
            // read back from its snapshot are equal and give identical spreads.
            stored[k] = (float) f;
        }
        return new SpreadCalibration(stored);
    }

    /**
     * The snapshot's factors; the identity when it has none.
     *
     * @throws IllegalArgumentException when the tensor is there on a point head, has another shape
     *     than [H], or holds an invalid factor
     */
    public static SpreadCalibration of(ModelSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        if (!present(snapshot)) {
            return identity(spec.horizon());
        }
        if (!spec.head().probabilistic()) {
            throw new IllegalArgumentException("Snapshot " + snapshot.getName() + " v" + snapshot.getVersion()
                    + " has a " + TENSOR + " tensor but a " + spec.head() + " head, which has no spreads");
        }
        float[] data = Tensors.floats(snapshot, TENSOR, spec.horizon());
        double[] factors = new double[data.length];
        for (int k = 0; k < data.length; k++) {
            factors[k] = data[k];
        }
        return of(factors);
    }

    /** Whether {@code snapshot} carries factors. */
    public static boolean present(ModelSnapshot snapshot) {
        for (Tensor t : snapshot.getTensors()) {
            if (isTensor(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code t} holds factors rather than network parameters. */
    public static boolean isTensor(Tensor t) {
        return TENSOR.equals(t.getName());
    }

    /**
     * A copy of {@code snapshot} carrying these factors (replacing any it had); the identity is
     * stored too, so a snapshot records that it was calibrated even when nothing needed changing.
     *
     * @throws IllegalArgumentException when the snapshot's horizon is not this calibration's
     */
    public ModelSnapshot attachTo(ModelSnapshot snapshot) {
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        if (spec.horizon() != factors.length || !spec.head().probabilistic()) {
            throw new IllegalArgumentException(factors.length + " spread factors do not fit " + spec);
        }
        float[] data = new float[factors.length];
        for (int k = 0; k < data.length; k++) {
            data[k] = (float) factors[k];
        }
        List<Tensor> tensors = new ArrayList<>(withoutTensor(snapshot.getTensors()));
        tensors.add(Tensors.of(TENSOR, data, factors.length));
        return ModelSnapshot.newBuilder(snapshot).setTensors(tensors).build();
    }

    /** {@code tensors} without the factors. */
    public static List<Tensor> withoutTensor(List<Tensor> tensors) {
        List<Tensor> kept = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (!isTensor(t)) {
                kept.add(t);
            }
        }
        return kept;
    }

    /** The factors' tensor of {@code snapshot}, or null when it has none. */
    public static Tensor tensorOf(ModelSnapshot snapshot) {
        for (Tensor t : snapshot.getTensors()) {
            if (isTensor(t)) {
                return t;
            }
        }
        return null;
    }

    public int horizon() {
        return factors.length;
    }

    /** The multiplier of the spread {@code k + 1} steps ahead. */
    public double factor(int k) {
        return factors[k];
    }

    public double[] factors() {
        return factors.clone();
    }

    public boolean isIdentity() {
        for (double f : factors) {
            if (f != 1.0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpreadCalibration other && Arrays.equals(factors, other.factors);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(factors);
    }

    @Override
    public String toString() {
        if (isIdentity()) {
            return "SpreadCalibration{identity, " + factors.length + " steps}";
        }
        double[] sorted = factors.clone();
        Arrays.sort(sorted);
        return String.format(java.util.Locale.ROOT, "SpreadCalibration{%d steps, factors %.3f..%.3f, median %.3f}",
                factors.length, sorted[0], sorted[sorted.length - 1], sorted[sorted.length / 2]);
    }

}
