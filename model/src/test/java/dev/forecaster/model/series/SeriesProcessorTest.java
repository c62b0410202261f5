package dev.forecaster.model.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.anomaly.AnomalyState;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.train.TrainingOptions;

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

    /**
     * A Gaussian-head model: every step carries its spreads, the state keeps the last ones, and
     * the next observation is scored against the one-step spread blended with the residual spread
     * (the same as scoring it by hand); a point model's steps carry none.
     */
    @Test
    void aGaussianModelsSpreadsReachTheStepAndTheScorer() {
        ModelSpec spec = ModelSpec.lstm(8, 1, 3).withHead(HeadKind.GAUSSIAN);
        LstmForecaster model = LstmForecaster.fromSnapshot(Dl4jModels.toSnapshot(
                Dl4jModels.build(spec, 5L, TrainingOptions.defaults()), spec, "g", 1L, null, null));
        SeriesProcessor p = new SeriesProcessor(ModelPolicy.fixed(model), AnomalyScorer.defaults());
        SeriesState state = p.newState();
        AnomalyScorer scorer = AnomalyScorer.defaults();
        AnomalyState shadow = scorer.newState();
        SplittableRandom random = new SplittableRandom(3);
        double[] previousMeans = null;
        double[] previousSpreads = null;
        for (int t = 0; t < 200; t++) {
            double v = 50 + 5 * Math.sin(t / 5.0) + random.nextGaussian();
            double scale = state.scaler.scale();
            SeriesProcessor.Step step = p.observe(state, 1000L * t, v);
            assertEquals(3, step.spreads().length);
            assertArrayEquals(step.spreads(), state.lastSpreads);
            assertTrue(Arrays.stream(step.spreads()).allMatch(sd -> sd > 0 && Double.isFinite(sd)));
            if (previousMeans != null) {
                double expected = scorer.assess(shadow, v - previousMeans[0], scale, previousSpreads[0]).likelihood();
                assertEquals(expected, step.anomalyScore(), 0, "score at " + t);
            }
            previousMeans = step.means();
            previousSpreads = step.spreads();
        }
        SeriesProcessor point = new SeriesProcessor(NO_MODEL, AnomalyScorer.defaults());
        SeriesState pointState = point.newState();
        assertEquals(null, point.observe(pointState, 0L, 1.0).spreads());
        assertEquals(0, pointState.lastSpreads.length);
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
            history.add(i, x);
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
