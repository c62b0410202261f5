package dev.forecaster.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;

class OnlineTrainingTest {

    private static OnlineTraining policy() {
        TrainingOptions opts = TrainingOptions.builder().seed(3).hiddenSize(16).horizon(2).windowLength(48)
                .tbpttLength(24).batchSize(16).learningRate(1e-2).modelName("online").build();
        return new OnlineTraining(opts, 200, 300, 400, 40, 20);
    }

    private static double[] series(int n) {
        SplittableRandom random = new SplittableRandom(5);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 100 + 20 * Math.sin(2 * Math.PI * t / 24.0) + random.nextGaussian();
        }
        return x;
    }

    private static List<SeriesProcessor.Step> run(double[] x, int n) {
        SeriesProcessor processor = new SeriesProcessor(policy(), AnomalyScorer.defaults());
        SeriesState state = processor.newState();
        List<SeriesProcessor.Step> steps = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long start = System.nanoTime();
            steps.add(processor.observe(state, 60_000L * t, x[t]));
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 50) {
                System.out.printf("step %d took %d ms%n", t, ms);
            }
        }
        return steps;
    }

    @Test
    void trainsOnScheduleAndAPrefixReproducesItsSteps() {
        double[] x = series(900);
        List<SeriesProcessor.Step> full = run(x, 900);
        assertEquals(0, full.get(199).modelVersion(), "persistence until the warm-up is reached");
        assertArrayEquals(new double[] {x[199], x[199]}, full.get(199).means());
        assertEquals(1, full.get(200).modelVersion(), "first model before the 201st observation");
        assertEquals(2, full.get(500).modelVersion());
        assertEquals(3, full.get(800).modelVersion());

        double persistence = 0;
        double model = 0;
        for (int t = 801; t < 899; t++) {
            persistence += Math.abs(x[t + 1] - x[t]);
            model += Math.abs(x[t + 1] - full.get(t).means()[0]);
        }
        assertTrue(model < persistence, "the self-trained model beats persistence: " + model + " vs " + persistence);

        List<SeriesProcessor.Step> prefix = run(x, 520);
        for (int t = 0; t < 520; t++) {
            assertArrayEquals(full.get(t).means(), prefix.get(t).means(), "forecast " + t);
            assertEquals(full.get(t).anomalyScore(), prefix.get(t).anomalyScore(), "score " + t);
        }
    }

    /**
     * While a key has no model it keeps lifetime statistics; its first model has a memory, and from
     * then on the key's statistics are those that model's training computed: the window's start
     * statistics carried on with the memory, walked over the window, then stepped with it.
     */
    @Test
    void theFirstModelsScalingMemoryTakesOverTheKeysStatistics() {
        TrainingOptions opts = TrainingOptions.builder().seed(3).hiddenSize(8).horizon(2).windowLength(48)
                .tbpttLength(24).batchSize(8).learningRate(1e-2).modelName("online").scalingMemory(30).build();
        SeriesProcessor processor = new SeriesProcessor(new OnlineTraining(opts, 150, 1000, 150, 5, 5),
                AnomalyScorer.defaults());
        SeriesState state = processor.newState();
        double[] x = series(260);
        dev.forecaster.model.scaling.SeriesScaler expected = null;
        for (int t = 0; t < x.length; t++) {
            if (t == 150) {
                assertEquals(dev.forecaster.model.scaling.SeriesScaler.LIFETIME, state.scaler.memory());
                expected = state.history.startScaler();
                expected.useMemory(30);
                for (double v : state.history.values()) {
                    expected.update(v);
                }
            }
            if (expected != null) {
                expected.update(x[t]);
            }
            processor.observe(state, 60_000L * t, x[t]);
            if (expected != null) {
                assertEquals(expected, state.scaler, "t=" + t);
            }
        }
        assertEquals(30, state.scaler.memory());
        assertEquals(30, state.history.startScaler().memory());
        assertEquals(30, state.ownModel.getArchitecture().getScalingMemory());
    }

    @Test
    void warmupShorterThanOneTrainingWindowIsRejected() {
        TrainingOptions opts = TrainingOptions.builder().windowLength(64).horizon(4).build();
        try {
            new OnlineTraining(opts, 50, 100, 500, 10, 10);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("warm-up"));
            return;
        }
        assertNull("expected an IllegalArgumentException");
    }
}
