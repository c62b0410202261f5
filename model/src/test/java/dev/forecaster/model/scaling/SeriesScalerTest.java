package dev.forecaster.model.scaling;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesScalerTest {

    @Test
    void welfordMatchesTwoPassStatisticsAtEveryStep() {
        Random random = new Random(3);
        double[] x = new double[2000];
        for (int i = 0; i < x.length; i++) {
            // Large offset relative to the spread: naive sum-of-squares would lose precision here.
            x[i] = 1e6 + 50 * Math.sin(i / 7.0) + random.nextGaussian();
        }
        SeriesScaler scaler = new SeriesScaler();
        for (int n = 1; n <= x.length; n++) {
            scaler.update(x[n - 1]);
            if (n % 97 != 0 && n != x.length) {
                continue;
            }
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i];
            }
            mean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (x[i] - mean) * (x[i] - mean);
            }
            double std = Math.sqrt(ss / n);
            assertEquals(n, scaler.count());
            assertEquals(mean, scaler.mean(), 1e-9 * Math.abs(mean));
            assertEquals(ss, scaler.m2(), 1e-8 * ss);
            assertEquals(std, scaler.scale(), 1e-8 * std);
        }
    }

    @Test
    void normaliseAndDenormaliseAreInverseWithinTheClamp() {
        SeriesScaler scaler = new SeriesScaler();
        for (double v : new double[] {10, 12, 9, 15, 11, 8}) {
            scaler.update(v);
        }
        for (double v : new double[] {-5, 0, 8, 11.5, 20, 30}) {
            float z = scaler.normalise(v);
            assertEquals(v, scaler.denormalise(z), 1e-5 * (1 + Math.abs(v)));
        }
        assertEquals((float) SeriesScaler.CLAMP, scaler.normalise(1e9));
        assertEquals((float) -SeriesScaler.CLAMP, scaler.normalise(-1e9));
    }

    @Test
    void earlyAndFlatSeriesUseTheMagnitudeOfTheMean() {
        SeriesScaler scaler = new SeriesScaler();
        assertEquals(1.0, scaler.scale());
        scaler.update(500);
        assertEquals(500, scaler.scale());
        assertEquals(0f, scaler.normalise(500));
        scaler.update(500);
        assertEquals(500, scaler.scale(), "zero spread falls back to |mean|");

        SeriesScaler small = new SeriesScaler();
        small.update(0.25);
        small.update(0.25);
        assertEquals(1.0, small.scale(), "the fallback is at least 1");
    }

    /**
     * Values near the double range (sentinels such as ±Double.MAX_VALUE) would make the mean
     * infinite and m2 NaN, a state that can neither forecast nor be restored; the bound keeps the
     * sums finite, and a rejected value leaves the scaler as it was.
     */
    @Test
    void valuesBeyondTheBoundAreRejectedAndTheBoundKeepsTheSumsFinite() {
        assertTrue(SeriesScaler.accepts(SeriesScaler.MAX_MAGNITUDE));
        assertTrue(SeriesScaler.accepts(-SeriesScaler.MAX_MAGNITUDE));
        for (double bad : new double[] {Math.nextUp(SeriesScaler.MAX_MAGNITUDE), -1e101, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertFalse(SeriesScaler.accepts(bad), "accepts " + bad);
            SeriesScaler scaler = new SeriesScaler(3, 1.5, 2.0);
            assertThrows(IllegalArgumentException.class, () -> scaler.update(bad));
            assertEquals(new SeriesScaler(3, 1.5, 2.0), scaler);
        }
        // The worst the bound allows: alternating extremes, many times over.
        SeriesScaler scaler = new SeriesScaler();
        for (int i = 0; i < 100_000; i++) {
            scaler.update(i % 2 == 0 ? SeriesScaler.MAX_MAGNITUDE : -SeriesScaler.MAX_MAGNITUDE);
        }
        assertTrue(Double.isFinite(scaler.mean()) && Double.isFinite(scaler.m2()) && scaler.m2() >= 0);
        assertEquals(scaler, new SeriesScaler(scaler.count(), scaler.mean(), scaler.m2()), "restorable");
        assertTrue(Float.isFinite(scaler.normalise(SeriesScaler.MAX_MAGNITUDE)));
    }

    @Test
    void copyIsIndependentAndEqual() {
        SeriesScaler a = new SeriesScaler(5, 2.0, 3.0);
        SeriesScaler b = a.copy();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.update(7);
        assertNotEquals(a, b);
        assertEquals(5, a.count());
    }

    @Test
    void rejectsNonFiniteValuesWithoutChangingState() {
        SeriesScaler scaler = new SeriesScaler(3, 1.0, 2.0);
        assertThrows(IllegalArgumentException.class, () -> scaler.update(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> scaler.update(Double.POSITIVE_INFINITY));
        assertEquals(new SeriesScaler(3, 1.0, 2.0), scaler);
    }
}
