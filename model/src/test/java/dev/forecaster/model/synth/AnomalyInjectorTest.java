package dev.forecaster.model.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class AnomalyInjectorTest {

    private static final int DAY = 24;

    /** A daily sine with unit white noise: noise scale about 1. */
    private static double[] base(int n) {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 50 + 20 * Math.sin(2 * Math.PI * t / DAY) + r.nextGaussian();
        }
        return x;
    }

    private static AnomalyInjector.Injection inject(AnomalyType type, double[] x, double[] clean, int start) {
        return new AnomalyInjector(DAY).inject(type, x, clean, start, AnomalyInjector.noiseScale(clean),
                new SplittableRandom(11));
    }

    @Test
    void noiseScaleIsInTheSeriesUnitsAndIgnoresLevel() {
        double[] x = base(2000);
        double s = AnomalyInjector.noiseScale(x);
        double[] scaled = x.clone();
        for (int i = 0; i < x.length; i++) {
            scaled[i] = 1e4 + 1e3 * x[i];
        }
        assertEquals(1e3 * s, AnomalyInjector.noiseScale(scaled), 1e-6 * s * 1e3);
        // Differences of unit white noise have sd sqrt 2; the sine adds steps of up to 20 * 2 pi / 24.
        assertTrue(s > 1.3 && s < 20 * 2 * Math.PI / 24, "white noise of sd 1 plus the sine's slope: " + s);
        assertEquals(1.0, AnomalyInjector.noiseScale(new double[] {5, 5, 5, 5}), "a constant series still gets a unit");
    }

    @Test
    void spikesAndDipsMoveOnePointByTheirMagnitude() {
        for (AnomalyType type : new AnomalyType[] {AnomalyType.SPIKE, AnomalyType.DIP}) {
            double[] clean = base(500);
            double[] x = clean.clone();
            AnomalyInjector.Injection in = inject(type, x, clean, 200);
            assertEquals(200, in.start());
            assertEquals(200, in.end());
            double moved = (x[200] - clean[200]) / AnomalyInjector.noiseScale(clean);
            assertEquals(type == AnomalyType.SPIKE ? in.magnitude() : -in.magnitude(), moved, 1e-9);
            assertTrue(in.magnitude() >= 4 && in.magnitude() <= 10);
            for (int t = 0; t < x.length; t++) {
                if (t != 200) {
                    assertEquals(clean[t], x[t]);
                }
            }
        }
    }

    @Test
    void levelShiftsAndTrendChangesArePermanent() {
        double[] clean = base(500);
        double s = AnomalyInjector.noiseScale(clean);
        double[] x = clean.clone();
        AnomalyInjector.Injection shift = inject(AnomalyType.LEVEL_SHIFT, x, clean, 200);
        assertEquals(200 + DAY / 4 - 1, shift.end(), "labelled for a quarter day");
        assertEquals(clean[199], x[199]);
        double offset = x[200] - clean[200];
        assertEquals(shift.magnitude() * s, Math.abs(offset), 1e-9);
        assertEquals(offset, x[499] - clean[499], 1e-9);

        double[] y = clean.clone();
        AnomalyInjector.Injection trend = inject(AnomalyType.TREND_CHANGE, y, clean, 200);
        int len = trend.end() - trend.start() + 1;
        assertTrue(len >= DAY / 2 && len <= 2 * DAY, "ramps over 0.5-2 days: " + len);
        double first = y[200] - clean[200];
        double last = y[trend.end()] - clean[trend.end()];
        assertEquals(trend.magnitude() * s, Math.abs(last), 1e-9);
        assertEquals(last / len, first, 1e-9, "a linear ramp");
        assertEquals(last, y[499] - clean[499], 1e-9, "stays at the new level");
    }

    @Test
    void varianceChangesRaiseTheStepToStepVariationInsideTheWindowOnly() {
        double[] clean = base(2000);
        double[] x = clean.clone();
        AnomalyInjector.Injection in = inject(AnomalyType.VARIANCE_CHANGE, x, clean, 1000);
        double[] inside = java.util.Arrays.copyOfRange(x, in.start(), in.end() + 1);
        double ratio = AnomalyInjector.noiseScale(inside) / AnomalyInjector.noiseScale(clean);
        assertTrue(ratio > 1.5, "step-to-step variation x" + ratio + " for a factor of " + in.magnitude());
        assertEquals(clean[in.end() + 1], x[in.end() + 1]);
        assertEquals(clean[in.start() - 1], x[in.start() - 1]);
    }

    @Test
    void flatLinesHoldTheLastNormalValue() {
        double[] clean = base(500);
        double[] x = clean.clone();
        AnomalyInjector.Injection in = inject(AnomalyType.FLAT_LINE, x, clean, 200);
        int len = in.end() - in.start() + 1;
        assertTrue(len >= DAY / 4 && len <= DAY, "6-24 hours: " + len);
        for (int t = in.start(); t <= in.end(); t++) {
            assertEquals(clean[199], x[t]);
        }
        assertEquals(clean[in.end() + 1], x[in.end() + 1]);
        assertTrue(in.magnitude() > 1, "the sine varies over the window: " + in.magnitude());
    }

    @Test
    void seasonalBreaksPutTheDailyCycleOutOfPhaseAtTheSameLevel() {
        double[] clean = base(500);
        double[] x = clean.clone();
        AnomalyInjector.Injection in = inject(AnomalyType.SEASONAL_BREAK, x, clean, 200);
        int len = in.end() - in.start() + 1;
        assertTrue(len >= DAY && len <= 2 * DAY, "1-2 days: " + len);
        double meanClean = 0;
        double meanBroken = 0;
        double correlation = 0;
        for (int t = in.start(); t <= in.end(); t++) {
            meanClean += clean[t] / len;
            meanBroken += x[t] / len;
            correlation += (x[t] - 50) * (clean[t] - 50);
        }
        assertEquals(meanClean, meanBroken, 1e-9, "the window keeps its level");
        assertTrue(correlation < 0, "half a day out of phase: the cycle is inverted");
        assertTrue(in.magnitude() > 3, "the cycle is large against the steps: " + in.magnitude());
        assertEquals(clean[in.end() + 1], x[in.end() + 1]);
    }

    @Test
    void anAnomalyThatDoesNotFitIsRejected() {
        double[] clean = base(100);
        assertThrows(IllegalArgumentException.class, () -> inject(AnomalyType.SEASONAL_BREAK, clean.clone(), clean, 5));
        assertThrows(IllegalArgumentException.class, () -> inject(AnomalyType.FLAT_LINE, clean.clone(), clean, 99));
    }
}
