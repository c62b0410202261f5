package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.calibration.WindowShrinkage;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

/**
 * A retraining round of a Gaussian model: averaging carries the serving model's spread factors,
 * and before the gate decides, the candidate's are refitted on the gate's held-out windows, so the
 * promoted model serves factors that fit its own head, with the figures in its metrics. A change
 * model's candidate is shrunk toward persistence on the same windows first.
 */
class RetrainingCalibrationTest {

    @Test
    void thePromotedCandidateIsRecalibratedOnTheHeldOutWindows() {
        ModelSnapshot model = SyntheticSeries.smallGaussianModel();
        int horizon = ModelSpec.fromAvro(model.getArchitecture()).horizon();
        double[] stale = new double[horizon];
        Arrays.fill(stale, 5.0);
        ModelSnapshot serving = SpreadCalibration.of(stale).attachTo(model);

        // Every window held out; a negative margin promotes a candidate as good as the serving one.
        Retraining.Settings settings = new Retraining.Settings(1, 60_000, 1, 1, 64, 1, 0);
        Retraining retraining = new Retraining(settings, new ValidationGate(-0.5, 3.0, 24),
                new RetrainTrigger(1, 2.0, 10, 0), serving, 0);
        for (double[] x : SyntheticSeries.sines(3, 400, 77L)) {
            for (TrainingWindow w : TrainingWindows.cut("s" + x.length + x[0], x, 200, 100, 1000)) {
                retraining.onWindow(w);
            }
        }
        assertTrue(retraining.heldOut().size() >= 3, "held-out windows: " + retraining.heldOut().size());
        Retraining.Actions opened = retraining.onTick(10);
        assertTrue(opened.round().isPresent());
        // The worker reports the serving parameters without factors, as a trainer without
        // held-out windows of its own would for a cold model.
        Retraining.Actions done = retraining.onUpdate(0, opened.round().get().number(), model, 100, 20);
        assertTrue(done.promoted().isPresent(), done.rejected().toString());
        ModelSnapshot promoted = done.promoted().get();
        SpreadCalibration factors = SpreadCalibration.of(promoted);
        assertNotEquals(SpreadCalibration.of(stale), factors, "the stale factors were refitted");
        assertFalse(factors.isIdentity());
        assertEquals(0.80, promoted.getMetrics().get("gate_cover80"), 0.03, promoted.getMetrics().toString());
        assertTrue(promoted.getMetrics().containsKey("gate_cover80_raw"), promoted.getMetrics().toString());
        assertTrue(promoted.getMetrics().get("gate_shrink_origins") >= WindowShrinkage.MIN_ORIGINS, promoted.getMetrics().toString());
        assertTrue(promoted.getMetrics().containsKey("gate_shrink_mean"), promoted.getMetrics().toString());
        assertEquals(List.of(horizon), SpreadCalibration.tensorOf(promoted).getShape());
    }
}
