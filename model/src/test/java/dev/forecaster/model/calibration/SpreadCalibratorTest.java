package dev.forecaster.model.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.eval.Calibration;
import org.junit.jupiter.api.Test;

import java.util.Random;

class SpreadCalibratorTest {

    /**
     * Outcomes N(0, 2²) forecast with sd 1: the raw p10–p90 covers P(|Z| ≤ 0.64) ≈ 0.48; the fitted
     * factor is ≈ 2 and brings coverage of fresh outcomes of the same distribution to ≈ 0.80.
     */
    @Test
    void anUnderstatedSpreadGetsTheFactorThatRestoresEightyPercent() {
        Random random = new Random(11);
        SpreadCalibrator calibrator = new SpreadCalibrator(3);
        for (int i = 0; i < 4000; i++) {
            for (int k = 0; k < 3; k++) {
                calibrator.add(k, 5.0, 1.0, 5.0 + 2 * random.nextGaussian());
            }
        }
        SpreadCalibrator.Fit fit = calibrator.fit();
        assertTrue(fit.fitted());
        assertEquals(12000, fit.points());
        assertEquals(0.48, fit.coverageBefore(), 0.02);
        assertEquals(0.80, fit.coverageAfter(), 0.01);
        assertEquals(0, fit.pooledSteps());
        for (int k = 0; k < 3; k++) {
            assertEquals(2.0, fit.calibration().factor(k), 0.08, "step " + (k + 1));
        }

        Calibration raw = new Calibration();
        Calibration calibrated = new Calibration();
        for (int i = 0; i < 20000; i++) {
            double actual = 5.0 + 2 * random.nextGaussian();
            raw.add(5.0, 1.0, actual);
            calibrated.add(5.0, fit.calibration().factor(i % 3), actual);
        }
        assertEquals(0.48, raw.coverage(), 0.02);
        assertEquals(0.80, calibrated.coverage(), 0.015);
        assertTrue(calibrated.nll() < raw.nll() && calibrated.crps() < raw.crps(),
                "a correct spread scores better: NLL " + raw.nll() + " -> " + calibrated.nll()
                        + ", CRPS " + raw.crps() + " -> " + calibrated.crps());
    }

    /** Each step gets its own factor, whatever the head's sd: an over-wide step shrinks. */
    @Test
    void factorsArePerStepAndScaleFree() {
        Random random = new Random(12);
        SpreadCalibrator calibrator = new SpreadCalibrator(2);
        for (int i = 0; i < 3000; i++) {
            calibrator.add(0, 100, 4.0, 100 + 2 * random.nextGaussian()); // sd twice the truth
            calibrator.add(1, -3, 0.01, -3 + 0.03 * random.nextGaussian()); // a third of it
        }
        SpreadCalibration c = calibrator.fit().calibration();
        assertEquals(0.5, c.factor(0), 0.03);
        assertEquals(3.0, c.factor(1), 0.15);
    }

    /** The ⌈(n+1)·0.8⌉-th smallest |z|, the largest when that rank passes n. */
    @Test
    void theQuantileCarriesTheFiniteSampleRankCorrection() {
        assertEquals(8.0, SpreadCalibrator.conformalQuantile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertEquals(4.0, SpreadCalibrator.conformalQuantile(new double[] {1, 2, 3, 4}));
        assertEquals(3.0, SpreadCalibrator.conformalQuantile(new double[] {1, 2, 3}));
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        // ⌈101 · 0.8⌉ = 81, one above the plain 80th percentile.
        assertEquals(81.0, SpreadCalibrator.conformalQuantile(hundred));
        assertThrows(IllegalArgumentException.class, () -> SpreadCalibrator.conformalQuantile(new double[0]));

        SpreadCalibrator calibrator = new SpreadCalibrator(1);
        for (int i = 1; i <= 100; i++) {
            calibrator.add(0, 0, 1, i % 2 == 0 ? i : -i);
        }
        assertEquals((float) (81 / HeadKind.Z90), calibrator.fit().calibration().factor(0), 0.0);
    }

    @Test
    void degenerateInputsAreRefusedClearly() {
        SpreadCalibrator calibrator = new SpreadCalibrator(2);
        for (double sd : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calibrator.add(0, 1, sd, 2));
            assertTrue(e.getMessage().contains("sd " + sd), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> calibrator.add(0, Double.NaN, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> calibrator.add(0, 1, 1, Double.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> calibrator.add(0, -Double.MAX_VALUE, Double.MIN_VALUE, Double.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> calibrator.add(2, 1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> calibrator.add(-1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new SpreadCalibrator(0));
        assertEquals(0, calibrator.count(), "refused points are not recorded");
    }

    /** Too few points in all: no fit, factor 1, and the figures say so. */
    @Test
    void tooFewPointsLeaveTheSpreadsAlone() {
        SpreadCalibrator calibrator = new SpreadCalibrator(4);
        for (int i = 0; i < SpreadCalibrator.MIN_POINTS - 1; i++) {
            calibrator.add(i % 4, 0, 1, 5); // far outside: would ask for a large factor
        }
        SpreadCalibrator.Fit fit = calibrator.fit();
        assertFalse(fit.fitted());
        assertTrue(fit.calibration().isIdentity());
        assertEquals(0.0, fit.coverageBefore());
        assertFalse(fit.metrics("val_").containsKey("val_spread_factor_max"));
        assertEquals(SpreadCalibrator.MIN_POINTS - 1.0, fit.metrics("val_").get("val_calibration_points"));

        SpreadCalibrator.Fit none = new SpreadCalibrator(2).fit();
        assertFalse(none.fitted());
        assertTrue(Double.isNaN(none.coverageBefore()));
    }

    /**
     * A step with few points of its own borrows its neighbours': here step 2 alone (10 points, all
     * tiny errors) would get a tiny factor; pooled with steps 1 and 3 it gets theirs.
     */
    @Test
    void aSparseStepPoolsItsNeighbours() {
        Random random = new Random(13);
        SpreadCalibrator calibrator = new SpreadCalibrator(3);
        for (int i = 0; i < 400; i++) {
            calibrator.add(0, 0, 1, 2 * random.nextGaussian());
            calibrator.add(2, 0, 1, 2 * random.nextGaussian());
        }
        for (int i = 0; i < 10; i++) {
            calibrator.add(1, 0, 1, 0.01);
        }
        SpreadCalibrator.Fit fit = calibrator.fit();
        assertEquals(1, fit.pooledSteps());
        assertEquals(2.0, fit.calibration().factor(1), 0.2);
        assertEquals(1.0, fit.metrics("").get("calibration_pooled_steps"));
    }

    /** Factors stay finite and positive at the extremes: perfect forecasts and absurd errors. */
    @Test
    void factorsAreBoundedAtTheExtremes() {
        SpreadCalibrator calibrator = new SpreadCalibrator(2);
        for (int i = 0; i < 100; i++) {
            calibrator.add(0, 7, 1, 7); // every error exactly 0: the quantile is 0
            calibrator.add(1, 0, 1e-6, 1e3);
        }
        SpreadCalibration c = calibrator.fit().calibration();
        assertEquals(SpreadCalibration.MIN_FACTOR, c.factor(0));
        assertEquals(SpreadCalibration.MAX_FACTOR, c.factor(1));
    }
}
