package dev.forecaster.model.dl4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedMseTest {

    private static final IActivation[] ACTIVATIONS = {new ActivationIdentity(), new ActivationTanH()};

    /** Without NaN labels it is DL4J's MSE: the same score and gradient, with and without masks. */
    @Test
    void equalsDl4jsMseWithoutNanLabels() {
        Nd4j.getRandom().setSeed(3);
        INDArray pre = Nd4j.randn(DataType.DOUBLE, 6, 4);
        INDArray labels = Nd4j.randn(DataType.DOUBLE, 6, 4);
        INDArray perRow = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1}, new long[] {6, 1});
        INDArray perOutput = Nd4j.rand(DataType.DOUBLE, 6, 4).gt(0.3).castTo(DataType.DOUBLE);
        for (IActivation activation : ACTIVATIONS) {
            for (INDArray mask : new INDArray[] {null, perRow, perOutput}) {
                String what = activation + " mask " + (mask == null ? "none" : mask.size(1));
                assertEquals(new LossMSE().computeScore(labels, pre, activation, mask, true),
                        new MaskedMse().computeScore(labels, pre, activation, mask, true), 1e-12, what);
                // DL4J's loss runs the activation's backprop on preOutput in place: each call gets a copy.
                INDArray expected = new LossMSE().computeGradient(labels, pre.dup(), activation, mask);
                INDArray actual = new MaskedMse().computeGradient(labels, pre.dup(), activation, mask);
                assertTrue(expected.equalsWithEps(actual, 1e-12), what + ": " + expected + " vs " + actual);
            }
        }
    }

    /** A NaN label counts as masked: score and gradient equal those under a mask of zeros there. */
    @Test
    void aNanLabelIsLeftOutAsIfMasked() {
        Nd4j.getRandom().setSeed(4);
        INDArray pre = Nd4j.randn(DataType.DOUBLE, 5, 3);
        INDArray labels = Nd4j.randn(DataType.DOUBLE, 5, 3);
        INDArray withNan = labels.dup();
        withNan.putScalar(1, 2, Double.NaN);
        withNan.putScalar(4, 0, Double.NaN);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 5, 3);
        mask.putScalar(1, 2, 0);
        mask.putScalar(4, 0, 0);
        IActivation identity = new ActivationIdentity();
        assertEquals(new LossMSE().computeScore(labels, pre, identity, mask, true),
                new MaskedMse().computeScore(withNan, pre, identity, null, true), 1e-12);
        INDArray gradient = new MaskedMse().computeGradient(withNan, pre, identity, null);
        assertTrue(new LossMSE().computeGradient(labels, pre, identity, mask).equalsWithEps(gradient, 1e-12));
        assertEquals(0.0, gradient.getDouble(1, 2), 0);
        assertTrue(Double.isFinite(gradient.sumNumber().doubleValue()));
        // And in the Gaussian head's loss likewise.
        INDArray gaussianPre = Nd4j.randn(DataType.DOUBLE, 5, 6);
        assertEquals(new GaussianNll().computeScore(labels, gaussianPre, identity, mask, true),
                new GaussianNll().computeScore(withNan, gaussianPre, identity, null, true), 1e-12);
        assertTrue(new GaussianNll().computeGradient(labels, gaussianPre, identity, mask)
                .equalsWithEps(new GaussianNll().computeGradient(withNan, gaussianPre, identity, null), 1e-12));
    }
}
