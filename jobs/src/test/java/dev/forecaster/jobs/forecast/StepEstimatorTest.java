package dev.forecaster.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.forecaster.model.series.StepEstimator;

class StepEstimatorTest {

    @Test
    void smallestPositiveGapWins() {
        long step = StepEstimator.next(0, Long.MIN_VALUE, 1000);
        assertEquals(0, step, "unknown after one point");
        step = StepEstimator.next(step, 1000, 4000);
        assertEquals(3000, step);
        step = StepEstimator.next(step, 4000, 14000); // a gap
        assertEquals(3000, step);
        step = StepEstimator.next(step, 14000, 14000); // a duplicate timestamp
        assertEquals(3000, step);
        step = StepEstimator.next(step, 14000, 13000); // a step backwards
        assertEquals(3000, step);
    }

    @Test
    void latenessIsMeasuredFromTheWatermark() {
        assertFalse(Lateness.isLate(0, Long.MIN_VALUE, 0), "no watermark yet");
        assertFalse(Lateness.isLate(900, 1000, 100));
        assertTrue(Lateness.isLate(899, 1000, 100));
    }
}
