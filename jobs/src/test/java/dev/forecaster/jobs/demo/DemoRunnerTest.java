package dev.forecaster.jobs.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.train.TrainingOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoRunnerTest {

    private static DemoSettings settings(ForecastTarget target, boolean shrink) {
        return new DemoSettings(3, 0, 100, null, null, null, 5L, 16, 6, 40, 200, 1, 1, 0,
                Duration.ofSeconds(1), false, "alerts", false, Duration.ofSeconds(20), HeadKind.GAUSSIAN,
                InputFeatures.VALUE_ONLY, target, shrink);
    }

    @Test
    void theModelIsTrainedWithTheSettingsOfTheCommand() {
        TrainingOptions options = DemoRunner.trainingOptions(settings(ForecastTarget.LEVEL, false));
        assertEquals(5L, options.seed());
        assertEquals(16, options.hiddenSize());
        assertEquals(6, options.horizon());
        assertEquals(40, options.maxIterations());
        assertEquals(HeadKind.GAUSSIAN, options.head());
        assertEquals(ForecastTarget.LEVEL, options.target());
        assertFalse(options.shrink());
        assertEquals(TrainingOptions.DEFAULT_SCALING_MEMORY, options.scalingMemory(), "no memory: the trainer's default");

        TrainingOptions defaults = DemoRunner.trainingOptions(settings(null, true));
        assertEquals(TrainingOptions.defaults().target(), defaults.target(), "no target: the trainer's default");
        assertTrue(defaults.shrink());

        DemoSettings lifetime = new DemoSettings(3, 0, 100, null, null, null, 5L, 16, 6, 40, 200, 1, 1, 0,
                Duration.ofSeconds(1), false, "alerts", false, Duration.ofSeconds(20), HeadKind.POINT,
                InputFeatures.VALUE_ONLY, null, true, 0);
        assertEquals(0, DemoRunner.trainingOptions(lifetime).spec().scalingMemory());
    }
}
