package dev.forecaster.model.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;

class KernelWarmUpTest {

    /** The forecasts of a warmed-up model, bit for bit those of a fresh one of the same snapshot. */
    @Test
    void leavesForecastsAsTheyWere() {
        for (CellType cell : CellType.values()) {
            ModelSpec spec = ModelSpec.of(cell, 24, 2, 5).withHead(HeadKind.GAUSSIAN);
            LstmForecaster warmed = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 3L, 0.4));
            LstmForecaster fresh = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 3L, 0.4));
            // An odd number of steps, so that the kernel's alternating weight order is out of phase.
            KernelWarmUp.Result result = KernelWarmUp.run(warmed, new KernelWarmUp.Settings(1001, Duration.ofMinutes(1)));
            assertEquals(1001, result.steps());
            RecurrentState a = warmed.newState();
            RecurrentState b = fresh.newState();
            float[] outA = new float[spec.outputs()];
            float[] outB = new float[spec.outputs()];
            for (int t = 0; t < 200; t++) {
                float[] in = {(float) Math.cos(0.3 * t)};
                warmed.step(a, in, outA);
                fresh.step(b, in, outB);
                assertArrayEquals(outB, outA, 0f, cell + " step " + t);
            }
        }
    }

    @Test
    void stopsAtItsBudget() {
        LstmForecaster model = LstmForecaster.fromSnapshot(RandomModels.snapshot(ModelSpec.lstm(16, 1, 4), 1L, 0.3));
        KernelWarmUp.Result result = KernelWarmUp.run(model, new KernelWarmUp.Settings(Integer.MAX_VALUE, Duration.ofMillis(50)));
        assertTrue(result.ran());
        assertTrue(result.steps() > 0 && result.steps() < Integer.MAX_VALUE, "steps " + result.steps());
        assertTrue(result.elapsed().compareTo(Duration.ofMillis(50)) >= 0, "elapsed " + result.elapsed());
        assertTrue(result.lastMicrosPerStep() > 0);
    }

    @Test
    void runsOncePerKernelAndShapeInAJvm() {
        // A shape no other test warms up, so the outcome does not depend on test order.
        ModelSpec spec = ModelSpec.of(CellType.GRU, 13, 1, 3);
        LstmForecaster first = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 1L, 0.3));
        LstmForecaster second = LstmForecaster.fromSnapshot(RandomModels.snapshot(spec, 2L, 0.3));
        KernelWarmUp.Settings settings = new KernelWarmUp.Settings(600, Duration.ofMinutes(1));
        KernelWarmUp.Result ran = KernelWarmUp.ensureWarm(first, settings);
        assertTrue(ran.ran());
        assertEquals(600, ran.steps());
        assertFalse(KernelWarmUp.ensureWarm(second, settings).ran(), "same kernel and shape: already warm");
        LstmForecaster other = LstmForecaster.fromSnapshot(
                RandomModels.snapshot(ModelSpec.of(CellType.GRU, 14, 1, 3), 1L, 0.3));
        assertTrue(KernelWarmUp.ensureWarm(other, settings).ran(), "another shape");
    }

    @Test
    void offDoesNothing() {
        LstmForecaster model = LstmForecaster.fromSnapshot(RandomModels.snapshot(ModelSpec.of(CellType.RNN, 11, 1, 2), 1L, 0.3));
        KernelWarmUp.Result result = KernelWarmUp.ensureWarm(model, KernelWarmUp.Settings.OFF);
        assertFalse(result.ran());
        assertEquals(0, result.steps());
        // Off did not count as warmed up.
        assertTrue(KernelWarmUp.ensureWarm(model, new KernelWarmUp.Settings(10, Duration.ofSeconds(10))).ran());
    }

    @Test
    void rejectsNegativeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new KernelWarmUp.Settings(-1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new KernelWarmUp.Settings(1, Duration.ofMillis(-1)));
    }
}
