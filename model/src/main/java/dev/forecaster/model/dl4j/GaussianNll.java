package dev.forecaster.model.dl4j;

import dev.forecaster.model.HeadKind;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

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
public final class GaussianNll extends LabelLoss {

    private static final long serialVersionUID = 1L;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        double[] perExample = new double[t.rows()];
        for (int i = 0; i < t.rows(); i++) {
            double sum = 0;
            for (int k = 0; k < t.width(); k++) {
                double m = t.weight(i, k);
                if (m == 0) {
                    continue;
                }
                double s = HeadKind.clampLogSd(t.out()[i * 2 * t.width() + t.width() + k]);
                double e = t.labels()[i * t.width() + k] - t.out()[i * 2 * t.width() + k];
                sum += m * (s + 0.5 * e * e * Math.exp(-2 * s) + HALF_LOG_TWO_PI);
            }
            perExample[i] = sum / t.width();
        }
        return column(perExample, preOutput);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        int h = t.width();
        double[] dOut = new double[t.rows() * 2 * h];
        for (int i = 0; i < t.rows(); i++) {
            for (int k = 0; k < h; k++) {
                double m = t.weight(i, k);
                if (m == 0) {
                    continue;
                }
                double raw = t.out()[i * 2 * h + h + k];
                double s = HeadKind.clampLogSd(raw);
                double precision = Math.exp(-2 * s);
                double e = t.labels()[i * h + k] - t.out()[i * 2 * h + k];
                dOut[i * 2 * h + k] = m * -e * precision / h;
                boolean clamped = raw < HeadKind.MIN_LOG_SD || raw > HeadKind.MAX_LOG_SD;
                dOut[i * 2 * h + h + k] = clamped ? 0 : m * (1 - e * e * precision) / h;
            }
        }
        return gradient(dOut, t.rows(), 2 * h, preOutput, activationFn);
    }

    private static Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (preOutput.rank() != 2 || labels.rank() != 2) {
            throw new IllegalArgumentException("GaussianNll takes 2-d outputs and labels, got "
                    + java.util.Arrays.toString(preOutput.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        if (labels.size(0) != preOutput.size(0) || preOutput.size(1) != 2 * labels.size(1)) {
            throw new IllegalArgumentException("GaussianNll needs 2H outputs (means, log-sds) for H labels per row; got "
                    + java.util.Arrays.toString(preOutput.shape()) + " outputs and "
                    + java.util.Arrays.toString(labels.shape()) + " labels");
        }
        return readTerms(labels, preOutput, activationFn, mask);
    }
}
