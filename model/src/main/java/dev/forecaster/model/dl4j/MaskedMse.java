package dev.forecaster.model.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's mean squared error ({@code LossMSE}: per example Σ_k (y_k − ŷ_k)² / H, gradient
 * 2 (ŷ_k − y_k) / H), except that a NaN label is left out, as if masked.
 *
 * <p>Why NaN and not a mask: a label missing at one step of one time step needs a mask of the labels'
 * own shape [n, H, T], and DL4J 1.0.0-M2.1's truncated BPTT slices a labels mask as [n, T]
 * ({@code MultiLayerNetwork.getSubsetsForTbptt} fails on a 3-d one). A NaN rides through that
 * slicing inside the labels. The point head uses this loss only when some label is NaN (a backtest
 * over filled-in rows), so every other fit keeps DL4J's own MSE.
 */
public final class MaskedMse extends LabelLoss {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        double[] perExample = new double[t.rows()];
        for (int i = 0; i < t.rows(); i++) {
            double sum = 0;
            for (int k = 0; k < t.width(); k++) {
                double m = t.weight(i, k);
                if (m != 0) {
                    double e = t.labels()[i * t.width() + k] - t.out()[i * t.width() + k];
                    sum += m * e * e;
                }
            }
            perExample[i] = sum / t.width();
        }
        return column(perExample, preOutput);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(labels, preOutput, activationFn, mask);
        double[] dOut = new double[t.rows() * t.width()];
        for (int i = 0; i < t.rows(); i++) {
            for (int k = 0; k < t.width(); k++) {
                double m = t.weight(i, k);
                if (m != 0) {
                    int at = i * t.width() + k;
                    dOut[at] = m * 2 * (t.out()[at] - t.labels()[at]) / t.width();
                }
            }
        }
        return gradient(dOut, t.rows(), t.width(), preOutput, activationFn);
    }

    private static Terms terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (preOutput.rank() != 2 || labels.rank() != 2 || !java.util.Arrays.equals(preOutput.shape(), labels.shape())) {
            throw new IllegalArgumentException("MaskedMse takes 2-d outputs and labels of one shape, got "
                    + java.util.Arrays.toString(preOutput.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        return readTerms(labels, preOutput, activationFn, mask);
    }
}
