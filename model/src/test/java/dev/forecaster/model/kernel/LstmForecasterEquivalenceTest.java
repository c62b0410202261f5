package dev.forecaster.model.kernel;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LstmForecasterEquivalenceTest {

    private static final int STEPS = 1000;
    private static final double TOLERANCE = 1e-5;

    @Test
    void oneLayerOfSixtyFourMatchesDl4j() {
        assertEquivalent(ModelSpec.lstm(64, 1, 24), 11L);
    }

    @Test
    void twoLayersOfSixteenMatchDl4j() {
        assertEquivalent(ModelSpec.lstm(16, 2, 5), 12L);
    }

    /**
     * Every parameter, biases included, is replaced by a distinct random value: DL4J's default
     * initialisation has zero biases on three gate blocks, which would hide a mix-up of blocks.
     */
    private static void assertEquivalent(ModelSpec spec, long seed) {
        MultiLayerNetwork net = Dl4jModels.build(spec, seed, TrainingOptions.defaults());
        Random random = new Random(seed);
        float[] params = new float[(int) net.numParams()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.3);
        }
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));

        ModelSnapshot snapshot = Dl4jModels.toSnapshot(net, spec, "equivalence", 1L, null, null);
        // The kernel this JVM selects, and each kernel explicitly, stepped in lockstep with DL4J.
        LstmForecaster forecaster = LstmForecaster.fromSnapshot(snapshot);
        StepKernel[] kernels = {
            null, StepKernels.scalar(forecaster.weights()), StepKernels.vector(forecaster.weights())};
        String[] names = {"selected (" + forecaster.kernelName() + ")", "scalar", "vector"};
        RecurrentState[] states = {forecaster.newState(), forecaster.newState(), forecaster.newState()};
        float[] in = new float[1];
        float[] out = new float[spec.horizon()];

        net.rnnClearPreviousState();
        double[] worst = new double[kernels.length];
        double sumAbsOutput = 0;
        for (int t = 0; t < STEPS; t++) {
            // Mostly moderate inputs with occasional large ones, so that gates saturate at times.
            in[0] = (float) (random.nextGaussian() * (t % 50 == 0 ? 5.0 : 1.0));
            INDArray expected = net.rnnTimeStep(Nd4j.create(in, new long[] {1, 1, 1}, 'c'));
            assertEquals(spec.horizon(), expected.length());
            for (int m = 0; m < kernels.length; m++) {
                if (kernels[m] == null) {
                    forecaster.step(states[m], in, out);
                } else {
                    kernels[m].step(states[m], in, out);
                }
                for (int k = 0; k < spec.horizon(); k++) {
                    double e = expected.getDouble(0, k, 0);
                    double diff = Math.abs(e - out[k]);
                    worst[m] = Math.max(worst[m], diff);
                    if (m == 0) {
                        sumAbsOutput += Math.abs(e);
                    }
                    if (!(diff <= TOLERANCE)) {
                        fail(names[m] + " kernel, step " + t + ", output " + k + ": DL4J " + e
                                + ", kernel " + out[k] + " (diff " + diff + ")");
                    }
                }
            }
        }
        // Guards against a vacuous pass on a network whose outputs are all near zero.
        assertTrue(sumAbsOutput / (STEPS * spec.horizon()) > 0.05,
                "outputs too small to compare: " + sumAbsOutput / (STEPS * spec.horizon()));
        for (int m = 0; m < kernels.length; m++) {
            System.out.printf("%s, %s kernel: max |DL4J - kernel| over %d steps = %.3g%n",
                    spec, names[m], STEPS, worst[m]);
        }
    }
}
