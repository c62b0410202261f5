package dev.forecaster.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.schema.ModelSnapshot;

/** Test helper for models whose head outputs were scaled (shrinking toward persistence). */
public final class OutputFactors {

    private OutputFactors() {}

    /**
     * Per output of a single-input model, the factor f with scaled = f × original at every step of
     * a run of inputs from zero state (taken where the original output is largest, then checked at
     * every step to 1e-5), each asserted to be in [0, 1].
     */
    public static double[] of(ModelSnapshot original, ModelSnapshot scaled) {
        LstmForecaster a = LstmForecaster.fromSnapshot(original);
        LstmForecaster b = LstmForecaster.fromSnapshot(scaled);
        int outputs = a.spec().horizon();
        RecurrentState stateA = a.newState();
        RecurrentState stateB = b.newState();
        int steps = 20;
        float[][] outA = new float[steps][a.spec().outputs()];
        float[][] outB = new float[steps][b.spec().outputs()];
        for (int t = 0; t < steps; t++) {
            float[] in = {(float) Math.sin(t * 0.4)};
            a.step(stateA, in, outA[t]);
            b.step(stateB, in, outB[t]);
        }
        double[] factors = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            int largest = 0;
            for (int t = 1; t < steps; t++) {
                largest = Math.abs(outA[t][k]) > Math.abs(outA[largest][k]) ? t : largest;
            }
            factors[k] = (double) outB[largest][k] / outA[largest][k];
            assertTrue(factors[k] >= -1e-6 && factors[k] <= 1 + 1e-6, "factor " + factors[k] + " of output " + k);
            for (int t = 0; t < steps; t++) {
                assertEquals(factors[k] * outA[t][k], outB[t][k], 1e-5, "output " + k + ", step " + t);
            }
        }
        return factors;
    }
}
