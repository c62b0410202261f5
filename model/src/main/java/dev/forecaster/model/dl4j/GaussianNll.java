package dev.forecaster.model.dl4j;

import dev.forecaster.model.HeadKind;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Negative log-likelihood of a Gaussian per forecast step, the loss of the {@link HeadKind#GAUSSIAN}
 * head. The layer's activated output has 2H columns, H means μ then H log standard deviations s,
 * and the labels H columns y. Per step, with s clamped to [{@value HeadKind#MIN_LOG_SD}, {@value
 * HeadKind#MAX_LOG_SD}] (see {@link HeadKind#MIN_LOG_SD} for why) and σ = e^s:
 *
 * <pre>
 *   nll = s + (y - μ)² / (2σ²) + ln(2π)/2
 *   ∂nll/∂μ = (μ - y) / σ²
 *   ∂nll/∂s = 1 - (y - μ)² / σ²      (0 where the clamp binds)
 * </pre>
 *
 * An example's score is the mean over its H steps, as DL4J's MSE averages over outputs, so that the
 * learning rates tuned for the point head stay in range. The gradient is analytic and computed in
 * double; {@code GaussianNllTest} checks it against finite differences.
 *
 * <p>Masks: a per-example mask (one column, what {@code RnnOutputLayer} makes of a per-time-step
 * label mask) zeroes whole rows; a per-output mask of H columns zeroes the steps it masks, in both
 * the mean's and the log-sd's gradient. A NaN label is masked the same way ({@link MaskedMse} says
 * why NaN).
 */
public final class GaussianNll implements ILossFunction {

    private static final long serialVersionUID = 1L;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray perExample = computeScoreArray(labels, preOutput, activationFn, mask);
        double score = perExample.sumNumber().doubleValue();
        return average ? score / perExample.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        double[] perExample = new double[t.rows];
        for (int i = 0; i < t.rows; i++) {
            double sum = 0;
            for (int k = 0; k < t.horizon; k++) {
                double m = t.mask(i, k);
                if (m == 0) {
                    continue;
                }
                double s = HeadKind.clampLogSd(t.out[i * 2 * t.horizon + t.horizon + k]);
                double e = t.labels[i * t.horizon + k] - t.out[i * 2 * t.horizon + k];
                sum += m * (s + 0.5 * e * e * Math.exp(-2 * s) + HALF_LOG_TWO_PI);
            }
            perExample[i] = sum / t.horizon;
        }
        return Nd4j.createFromArray(perExample).reshape(t.rows, 1).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        int h = t.horizon;
        double[] dOut = new double[t.rows * 2 * h];
        for (int i = 0; i < t.rows; i++) {
            for (int k = 0; k < h; k++) {
                double m = t.mask(i, k);
                if (m == 0) {
                    continue;
                }
                double raw = t.out[i * 2 * h + h + k];
                double s = HeadKind.clampLogSd(raw);
                double precision = Math.exp(-2 * s);
                double e = t.labels[i * h + k] - t.out[i * 2 * h + k];
                dOut[i * 2 * h + k] = m * -e * precision / h;
                boolean clamped = raw < HeadKind.MIN_LOG_SD || raw > HeadKind.MAX_LOG_SD;
                dOut[i * 2 * h + h + k] = clamped ? 0 : m * (1 - e * e * precision) / h;
            }
        }
        INDArray dLdOut = Nd4j.create(dOut, new long[] {t.rows, 2L * h}, 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "GaussianNll";
    }

    @Override
    public String toString() {
        return "GaussianNll()";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianNll;
    }

    @Override
    public int hashCode() {
        return GaussianNll.class.hashCode();
    }

    /** The activated outputs, labels and mask as row-major doubles. */
    private static Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (preOutput.rank() != 2 || labels.rank() != 2) {
            throw new IllegalArgumentException("GaussianNll takes 2-d outputs and labels, got "
                    + java.util.Arrays.toString(preOutput.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        long rows = preOutput.size(0);
        long horizon = labels.size(1);
        if (labels.size(0) != rows || preOutput.size(1) != 2 * horizon) {
            throw new IllegalArgumentException("GaussianNll needs 2H outputs (means, log-sds) for H labels per row; got "
                    + java.util.Arrays.toString(preOutput.shape()) + " outputs and "
                    + java.util.Arrays.toString(labels.shape()) + " labels");
        }
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        double[] maskValues = null;
        int maskColumns = 0;
        if (mask != null) {
            maskColumns = (int) (mask.rank() == 1 ? 1 : mask.size(1));
            if (mask.size(0) != rows || (maskColumns != 1 && maskColumns != horizon)) {
                throw new IllegalArgumentException("Mask of shape " + java.util.Arrays.toString(mask.shape())
                        + " fits neither one column per example nor one per label of " + rows + " x " + horizon);
            }
            maskValues = values(mask);
        }
        return new Terms((int) rows, (int) horizon, values(out), values(labels), maskValues, maskColumns);
    }

    private static double[] values(INDArray a) {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        return c.reshape('c', new long[] {c.length()}).toDoubleVector();
    }

    private record Terms(int rows, int horizon, double[] out, double[] labels, double[] maskValues, int maskColumns) {
        /** The mask's weight of one step, 0 for a NaN label (see {@link MaskedMse} for why NaN). */
        double mask(int row, int step) {
            if (Double.isNaN(labels[row * horizon + step])) {
                return 0;
            }
            if (maskValues == null) {
                return 1.0;
            }
            return maskColumns == 1 ? maskValues[row] : maskValues[row * horizon + step];
        }
    }
}
