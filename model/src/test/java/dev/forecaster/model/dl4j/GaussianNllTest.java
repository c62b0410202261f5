package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.train.TrainingOptions;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianNllTest {

    private static final int ROWS = 7;
    private static final int H = 3;

    /**
     * The analytic gradient against central differences of the score, element by element. The
     * tolerance, 1e-4 relative (DL4J's own gradient checks allow 1e-3), leaves room for the
     * differences' rounding: at a log-sd of -4 the score's terms reach e^8 while the step is 1e-6.
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random random = new Random(5);
        INDArray pre = randomOutputs(random, 1.5);
        INDArray labels = randomLabels(random);
        double worst = worstRelativeError(new GaussianNll(), labels, pre, new ActivationIdentity(), null);
        System.out.println("GaussianNll: worst relative gradient error " + worst);
        assertTrue(worst < 1e-4, "relative gradient error " + worst);
        // Through a non-linear activation too, so that the chain rule through it is checked.
        double viaTanh = worstRelativeError(new GaussianNll(), labels, pre, new ActivationTanH(), null);
        assertTrue(viaTanh < 1e-4, "relative gradient error through tanh " + viaTanh);
    }

    @Test
    void gradientMatchesFiniteDifferencesUnderMasks() {
        Random random = new Random(6);
        INDArray pre = randomOutputs(random, 1.0);
        INDArray labels = randomLabels(random);
        INDArray perRow = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1, 1}, new long[] {ROWS, 1}).castTo(DataType.DOUBLE);
        INDArray perOutput = Nd4j.rand(DataType.DOUBLE, ROWS, H).gt(0.3).castTo(DataType.DOUBLE);
        assertTrue(worstRelativeError(new GaussianNll(), labels, pre, new ActivationIdentity(), perRow) < 1e-4);
        assertTrue(worstRelativeError(new GaussianNll(), labels, pre, new ActivationIdentity(), perOutput) < 1e-4);
        // A masked row contributes nothing, to score or gradient.
        INDArray g = new GaussianNll().computeGradient(labels, pre, new ActivationIdentity(), perRow);
        assertEquals(0.0, g.getRow(1).norm1Number().doubleValue(), 0);
        assertEquals(0.0, new GaussianNll().computeScoreArray(labels, pre, new ActivationIdentity(), perRow).getDouble(4, 0), 0);
    }

    /** The check above must be able to fail: a gradient missing the factor 1/σ² on the mean is caught. */
    @Test
    void aWrongGradientFailsTheCheck() {
        Random random = new Random(5);
        INDArray pre = randomOutputs(random, 1.5);
        INDArray labels = randomLabels(random);
        GaussianNll right = new GaussianNll();
        ILossFunction wrong = new ILossFunction() {
            @Override
            public double computeScore(INDArray l, INDArray p, IActivation a, INDArray m, boolean average) {
                return right.computeScore(l, p, a, m, average);
            }

            @Override
            public INDArray computeScoreArray(INDArray l, INDArray p, IActivation a, INDArray m) {
                return right.computeScoreArray(l, p, a, m);
            }

            @Override
            public org.nd4j.common.primitives.Pair<Double, INDArray> computeGradientAndScore(INDArray l, INDArray p,
                    IActivation a, INDArray m, boolean average) {
                return new org.nd4j.common.primitives.Pair<>(computeScore(l, p, a, m, average), computeGradient(l, p, a, m));
            }

            @Override
            public String name() {
                return "wrong";
            }

            @Override
            public INDArray computeGradient(INDArray l, INDArray p, IActivation a, INDArray m) {
                INDArray g = right.computeGradient(l, p, a, m);
                for (int i = 0; i < ROWS; i++) {
                    for (int k = 0; k < H; k++) {
                        double precision = Math.exp(-2 * HeadKind.clampLogSd(p.getDouble(i, H + k)));
                        g.putScalar(i, k, g.getDouble(i, k) / precision);
                    }
                }
                return g;
            }
        };
        assertTrue(worstRelativeError(wrong, labels, pre, new ActivationIdentity(), null) > 1e-2);
    }

    @Test
    void scoreIsTheGaussianNegativeLogLikelihoodWithTheClamp() {
        INDArray labels = Nd4j.create(new double[][] {{1.0, 2.0}}).castTo(DataType.DOUBLE);
        INDArray pre = Nd4j.create(new double[][] {{0.5, 2.0, Math.log(2), -20}}).castTo(DataType.DOUBLE);
        double step1 = Math.log(2) + 0.25 / (2 * 4) + 0.5 * Math.log(2 * Math.PI);
        // Log-sd -20 is clamped to -7; the error is 0, so only the clamped log-sd counts.
        double step2 = -7 + 0.5 * Math.log(2 * Math.PI);
        double score = new GaussianNll().computeScore(labels, pre, new ActivationIdentity(), null, true);
        assertEquals((step1 + step2) / 2, score, 1e-12);
        INDArray g = new GaussianNll().computeGradient(labels, pre, new ActivationIdentity(), null);
        assertEquals(0.0, g.getDouble(0, 3), 0, "no gradient where the clamp binds");
        assertEquals((0.5 - 1.0) / 4 / 2, g.getDouble(0, 0), 1e-12);
    }

    @Test
    void labelsMustBeHalfTheOutputs() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianNll().computeScore(labels, Nd4j.zeros(DataType.DOUBLE, 2, 3), new ActivationIdentity(), null, true));
    }

    /**
     * The loss in a real network: the Gaussian head's configuration survives DL4J's JSON round trip
     * (used when networks are cloned), and training on a series with a known noise level learns
     * that level as the spread.
     */
    @Test
    void aGaussianNetworkLearnsTheNoiseLevel() {
        ModelSpec spec = ModelSpec.of(CellType.LSTM, 8, 1, 2).withHead(HeadKind.GAUSSIAN);
        TrainingOptions opts = TrainingOptions.builder().hiddenSize(8).horizon(2).head(HeadKind.GAUSSIAN)
                .tbpttLength(20).learningRate(2e-2).build();
        MultiLayerNetwork net = Dl4jModels.build(spec, 3L, opts);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        MultiLayerConfiguration again = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, again);
        assertTrue(((RnnOutputLayer) again.getConf(1).getLayer()).getLossFn() instanceof GaussianNll);
        assertEquals(4, ((RnnOutputLayer) again.getConf(1).getLayer()).getNOut());

        // Labels: pure noise of sd 0.5 around 0, whatever the input; the best Gaussian is N(0, 0.25).
        Random random = new Random(8);
        int mb = 16;
        int t = 20;
        for (int it = 0; it < 300; it++) {
            float[] x = new float[mb * t];
            float[] y = new float[mb * 2 * t];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (0.5 * random.nextGaussian());
            }
            net.fit(new DataSet(Nd4j.create(x, new long[] {mb, 1, t}, 'c'), Nd4j.create(y, new long[] {mb, 2, t}, 'c')));
        }
        INDArray out = net.output(Nd4j.create(new float[] {0.3f, -1f, 2f}, new long[] {1, 1, 3}, 'c'));
        assertEquals(4, out.size(1));
        for (int k = 0; k < 2; k++) {
            double mean = out.getDouble(0, k, 2);
            double sd = HeadKind.sd(out.getDouble(0, 2 + k, 2));
            assertEquals(0.0, mean, 0.15, "mean of step " + (k + 1));
            assertEquals(0.5, sd, 0.1, "sd of step " + (k + 1));
        }
    }

    private static INDArray randomOutputs(Random random, double logSdScale) {
        double[][] v = new double[ROWS][2 * H];
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < H; k++) {
                v[i][k] = random.nextGaussian();
                v[i][H + k] = random.nextGaussian() * logSdScale;
            }
        }
        return Nd4j.create(v).castTo(DataType.DOUBLE);
    }

    private static INDArray randomLabels(Random random) {
        double[][] v = new double[ROWS][H];
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < H; k++) {
                v[i][k] = random.nextGaussian() * 2;
            }
        }
        return Nd4j.create(v).castTo(DataType.DOUBLE);
    }

    /** Largest |analytic - numeric| / max(|analytic| + |numeric|, 1e-3) over every output. */
    private static double worstRelativeError(ILossFunction loss, INDArray labels, INDArray pre, IActivation activation,
            INDArray mask) {
        INDArray analytic = loss.computeGradient(labels, pre, activation, mask);
        BiFunction<Integer, Double, Double> scoreAt = (index, delta) -> {
            INDArray p = pre.dup();
            int row = index / (2 * H);
            int col = index % (2 * H);
            p.putScalar(row, col, p.getDouble(row, col) + delta);
            return loss.computeScore(labels, p, activation, mask, false);
        };
        double eps = 1e-6;
        double worst = 0;
        for (int index = 0; index < ROWS * 2 * H; index++) {
            double numeric = (scoreAt.apply(index, eps) - scoreAt.apply(index, -eps)) / (2 * eps);
            double a = analytic.getDouble(index / (2 * H), index % (2 * H));
            worst = Math.max(worst, Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-3));
        }
        return worst;
    }
}
