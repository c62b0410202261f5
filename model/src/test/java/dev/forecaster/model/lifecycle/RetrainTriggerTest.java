package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.forecaster.model.lifecycle.RetrainTrigger.Reason;

class RetrainTriggerTest {

    @Test
    void periodicTriggerFiresAfterThePeriod() {
        RetrainTrigger t = new RetrainTrigger(60_000, 1.5, 10, 0);
        assertEquals(Reason.NONE, t.check(59_999));
        assertEquals(Reason.PERIODIC, t.check(60_000));
        t.onRetrained(60_000);
        assertEquals(Reason.NONE, t.check(100_000));
    }

    @Test
    void driftFiresWhenRollingErrorExceedsTheBaselineByTheFactor() {
        RetrainTrigger t = new RetrainTrigger(Long.MAX_VALUE, 1.5, 10, 0);
        for (int i = 0; i < 10; i++) {
            t.recordError(1.0);
        }
        assertEquals(1.0, t.baseline());
        for (int i = 0; i < 5; i++) {
            t.recordError(1.9); // rolling mean 1.45: not yet 1.5x
        }
        assertEquals(Reason.NONE, t.check(1));
        for (int i = 0; i < 5; i++) {
            t.recordError(2.2);
        }
        assertEquals(Reason.DRIFT, t.check(2));
        t.onRetrained(3);
        assertEquals(Double.NaN, t.baseline());
        assertEquals(Reason.NONE, t.check(4), "no drift until a new baseline exists");
    }

    @Test
    void nonFiniteErrorsAreIgnored() {
        RetrainTrigger t = new RetrainTrigger(Long.MAX_VALUE, 2, 2, 0);
        t.recordError(Double.NaN);
        t.recordError(1);
        t.recordError(Double.POSITIVE_INFINITY);
        t.recordError(3);
        assertEquals(2.0, t.rollingError());
    }
}
