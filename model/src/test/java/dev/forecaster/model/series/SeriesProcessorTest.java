package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.scaling.SeriesScaler;

class SeriesProcessorTest {

    /** Persistence until a model exists: a policy that never provides one. */
    private static final ModelPolicy NO_MODEL = new ModelPolicy() {
        @Override
        public int horizon() {
            return 3;
        }

        @Override
        public LstmForecaster prepare(SeriesState state) {
            return null;
        }
    };

    @Test
    void withoutAModelForecastsTheLastValueAndScoresAgainstIt() {
        SeriesProcessor p = new SeriesProcessor(NO_MODEL, AnomalyScorer.defaults());
        SeriesState state = p.newState();
        SplittableRandom random = new SplittableRandom(1);
        double last = 0;
        for (int t = 0; t < 300; t++) {
            last = 10 + random.nextGaussian();
            SeriesProcessor.Step step = p.observe(state, 1000L * t, last);
            assertArrayEquals(new double[] {last, last, last}, step.means());
            assertEquals(0L, step.modelVersion());
        }
        double spike = p.observe(state, 300_000L, last + 30).anomalyScore();
        assertTrue(spike > 0.9, "a jump of ~20 sd scores high: " + spike);
        assertEquals(301, state.observations);
        assertEquals(1000L, state.stepMillis);
    }

    @Test
    void duplicateAndBackwardTimestampsAreOrdinarySteps() {
        SeriesProcessor p = new SeriesProcessor(NO_MODEL, AnomalyScorer.defaults());
        SeriesState state = p.newState();
        // Were the clock rewound to 70000 by the backward step, 100000 would make the step 30000.
        long[] times = {0, 60_000, 60_000, 120_000, 70_000, 100_000, 180_000, 600_000, 660_000};
        for (int t = 0; t < times.length; t++) {
            SeriesProcessor.Step step = p.observe(state, times[t], t);
            assertTrue(step.anomalyScore() >= 0 && step.anomalyScore() <= 1);
        }
        assertEquals(times.length, state.observations);
        assertEquals(60_000L, state.stepMillis, "duplicates and backward steps give no gap, and the clock does not rewind");
        assertEquals(660_000L, state.lastEventTime);
    }

    @Test
    void nonFiniteValuesAreRejectedWithoutTouchingTheState() {
        SeriesProcessor p = new SeriesProcessor(NO_MODEL, AnomalyScorer.defaults());
        SeriesState state = p.newState();
        p.observe(state, 0, 1.0);
        SeriesState before = state.copy();
        assertThrows(IllegalArgumentException.class, () -> p.observe(state, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> p.observe(state, 1, Double.POSITIVE_INFINITY));
        assertEquals(before, state);
    }

    @Test
    void historyStartScalerWalksToTheCurrentStatistics() {
        SeriesScaler live = new SeriesScaler();
        SeriesHistory history = new SeriesHistory(50, live.copy());
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 237; i++) {
            double x = 5 + 3 * random.nextGaussian();
            live.update(x);
            history.add(x);
        }
        assertEquals(50, history.size());
        SeriesScaler walked = history.startScaler();
        for (double x : history.values()) {
            walked.update(x);
        }
        assertEquals(live, walked, "bit-identical: the same updates in the same order");
        assertEquals(187, history.startScaler().count());
    }
}
