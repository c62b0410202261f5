package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowSamplerTest {

    @Test
    void everyKPointsOnceTheHistoryIsFull() {
        WindowSampler sampler = new WindowSampler(4, 100, 1000);
        assertFalse(sampler.sample(4, 3, 8, 0), "history not full yet");
        assertFalse(sampler.sample(9, 8, 8, 0));
        assertTrue(sampler.sample(12, 8, 8, 0));
        assertFalse(sampler.sample(13, 8, 8, 0));
        assertTrue(sampler.sample(16, 8, 8, 0));
    }

    @Test
    void capPerIntervalDropsTheRest() {
        WindowSampler sampler = new WindowSampler(1, 2, 1000);
        assertTrue(sampler.sample(10, 8, 8, 0));
        assertTrue(sampler.sample(10, 8, 8, 10));
        assertFalse(sampler.sample(10, 8, 8, 999));
        assertEquals(1, sampler.dropped());
        assertTrue(sampler.sample(10, 8, 8, 1000), "a new interval");
    }

    @Test
    void zeroDisablesSampling() {
        assertFalse(new WindowSampler(0, 2, 1000).sample(10, 8, 8, 0));
    }
}
