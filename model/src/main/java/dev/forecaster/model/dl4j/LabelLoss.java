package dev.forecaster.model.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What the project's own losses share: the score is the sum (or mean) of the per-example scores,
 * and each label has a weight from the mask (one column per example, or one per label) that is 0
 * for a NaN label ({@link MaskedMse} says why NaN). The arithmetic runs in double on copies.
 */
abstract class LabelLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public final double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        INDArray perExample = computeScoreArray(labels, preOutput, activationFn, mask);
        double score = perExample.sumNumber().doubleValue();
        return average ? score / perExample.size(0) : score;
    }

    @Override
    public final Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /**
     * The activated outputs, labels and mask as row-major doubles; the caller has checked that
     * outputs and labels are 2-d with the same rows.
     */
    static Terms readTerms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        int rows = (int) preOutput.size(0);
        int width = (int) labels.size(1);
        double[] maskValues = null;
        int maskColumns = 0;
        if (mask != null) {
            maskColumns = (int) (mask.rank() == 1 ? 1 : mask.size(1));
            if (mask.size(0) != rows || (maskColumns != 1 && maskColumns != width)) {
                throw new IllegalArgumentException("Mask of shape " + java.util.Arrays.toString(mask.shape())
                        + " fits neither one column per example nor one per label of " + rows + " x " + width);
            }
            maskValues = values(mask);
        }
        return new Terms(rows, width, values(activationFn.getActivation(preOutput.dup(), true)), values(labels),
                maskValues, maskColumns);
    }

    private static double[] values(INDArray a) {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        return c.reshape('c', new long[] {c.length()}).toDoubleVector();
    }

    /** {@code width} labels per row; the outputs may have more columns (a Gaussian head has 2 per label). */
    record Terms(int rows, int width, double[] out, double[] labels, double[] maskValues, int maskColumns) {
        /** The weight of one label: the mask's, and 0 for a NaN label. */
        double weight(int row, int step) {
            if (Double.isNaN(labels[row * width + step])) {
                return 0;
            }
            if (maskValues == null) {
                return 1;
            }
            return maskColumns == 1 ? maskValues[row] : maskValues[row * width + step];
        }
    }

    /** Per-example scores as the [rows, 1] column DL4J expects, in the output's type. */
    static INDArray column(double[] perExample, INDArray preOutput) {
        return Nd4j.createFromArray(perExample).reshape(perExample.length, 1).castTo(preOutput.dataType());
    }

    /** The gradient with respect to the pre-activation output, from dL/dOut given row by row. */
    static INDArray gradient(double[] dOut, int rows, int width, INDArray preOutput, IActivation activationFn) {
        INDArray dLdOut = Nd4j.create(dOut, new long[] {rows, width}, 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    /** Stateless: every instance of a loss is equal to every other, and is named after its class. */
    @Override
    public String name() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return name() + "()";
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
