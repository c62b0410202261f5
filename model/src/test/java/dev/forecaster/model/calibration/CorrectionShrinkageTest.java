package dev.forecaster.model.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrectionShrinkageTest {

    /**
     * Damping by validation uncertainty keeps a factor that every run of origins supports and
     * drops most of those that noise alone produced.
     */
    @Test
    void uncertaintyDampsFactorsThatValidationDoesNotPinDown() {
        java.util.Random random = new java.util.Random(11);
        int n = 512;
        int h = 200;
        float[][] corrections = new float[n][h];
        float[][] signal = new float[n][h];
        float[][] noise = new float[n][h];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h; k++) {
                corrections[i][k] = (float) random.nextGaussian();
                signal[i][k] = (float) (0.6 * corrections[i][k] + 0.2 * random.nextGaussian());
                noise[i][k] = (float) random.nextGaussian();
            }
        }
        double[] plain = CorrectionShrinkage.leastSquares(corrections, signal, h);
        double[] damped = CorrectionShrinkage.factors(corrections, signal, h, 16);
        for (int k = 0; k < h; k++) {
            assertEquals(plain[k], damped[k], 0.01, "a supported factor keeps itself, step " + k);
        }
        int plainKept = 0;
        int dampedKept = 0;
        double[] noisePlain = CorrectionShrinkage.leastSquares(corrections, noise, h);
        double[] noiseDamped = CorrectionShrinkage.factors(corrections, noise, h, 16);
        for (int k = 0; k < h; k++) {
            assertTrue(noiseDamped[k] <= noisePlain[k] && noiseDamped[k] >= 0, "step " + k);
            plainKept += noisePlain[k] > 0 ? 1 : 0;
            dampedKept += noiseDamped[k] > 0 ? 1 : 0;
        }
        assertTrue(plainKept > 70 && dampedKept < plainKept / 2,
                "noise kept by least squares at " + plainKept + " steps, after damping at " + dampedKept);
        float[][] zero = new float[4][1];
        assertEquals(1, CorrectionShrinkage.factors(zero, zero, 1, 16)[0], "no correction: factor 1 as before");
    }

    @Test
    void shrinkFactorsAreTheClippedLeastSquaresSlopeOfTheErrorsOnTheCorrections() {
        float[][] corrections = {{1, 2, 1, 0, 1}, {-2, 1, 3, 0, -1}, {0.5f, -1, 2, 0, 2}};
        float[][] errors = new float[3][5];
        for (int i = 0; i < 3; i++) {
            errors[i][0] = 0.5f * corrections[i][0];
            errors[i][1] = 2 * corrections[i][1];
            errors[i][2] = -corrections[i][2];
            errors[i][3] = i;
            errors[i][4] = 0.25f * corrections[i][4] + (i == 1 ? 0.3f : -0.15f);
        }
        double[] f = CorrectionShrinkage.leastSquares(corrections, errors, 5);
        assertEquals(0.5, f[0], 1e-12);
        assertEquals(1, f[1], 0, "a slope above 1 is clipped: never amplify the correction");
        assertEquals(0, f[2], 0, "a correction that points the wrong way is dropped");
        assertEquals(1, f[3], 0, "no correction at a step: nothing to scale");
        // Least squares: Σ c·e / Σ c² with the noise orthogonal to nothing in particular.
        double cross = 0.25 * (1 + 1 + 4) + (-1 * 0.3) + (1 * -0.15) + (2 * -0.15);
        assertEquals(cross / 6, f[4], 1e-7);
    }
}
