package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowSamplerTest {

    @Test
    void everyKPointsOnceTheHistoryIsFull() {
        WindowSampler sampler = new WindowSampler(4, 8, 100, 1000);
        assertFalse(sampler.sample(4, 3, 8, 0), "history not full yet");
        assertFalse(sampler.sample(9, 8, 8, 0));
        assertTrue(sampler.sample(12, 8, 8, 0));
        assertFalse(sampler.sample(13, 8, 8, 0));
        assertTrue(sampler.sample(16, 8, 8, 0));
    }

    @Test
    void youngHistoriesAreSampledOnceTheyHoldMinPoints() {
        WindowSampler sampler = new WindowSampler(4, 6, 100, 1000);
        assertFalse(sampler.sample(4, 4, 16, 0), "4 values, 6 needed");
        assertTrue(sampler.sample(8, 8, 16, 0), "not full, but enough");
        assertFalse(sampler.sample(9, 9, 16, 0), "not a multiple of 4");
        assertTrue(new WindowSampler(4, 32, 100, 1000).sample(16, 16, 16, 0),
                "a full history is sampled even below minPoints");
    }

    @Test
    void capPerIntervalDropsTheRest() {
        WindowSampler sampler = new WindowSampler(1, 8, 2, 1000);
        assertTrue(sampler.sample(10, 8, 8, 0));
        assertTrue(sampler.sample(10, 8, 8, 10));
        assertFalse(sampler.sample(10, 8, 8, 999));
        assertEquals(1, sampler.dropped());
        assertTrue(sampler.sample(10, 8, 8, 1000), "a new interval");
    }

    @Test
    void zeroDisablesSampling() {
        assertFalse(new WindowSampler(0, 1, 2, 1000).sample(10, 8, 8, 0));
    }
}
