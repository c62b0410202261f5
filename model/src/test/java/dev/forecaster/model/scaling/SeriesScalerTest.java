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
    /** A series with a trend, a daily cycle and noise: what lifetime statistics get wrong. */
    private static double[] trending(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 100 + 0.01 * t + 3 * Math.sin(2 * Math.PI * t / 24) + random.nextGaussian();
        }
        return x;
    }

    @Test
    void withAMemoryTheFirstValuesAreWelfordsBitForBit() {
        double[] x = trending(500, 4);
        SeriesScaler lifetime = new SeriesScaler();
        SeriesScaler forgetting = new SeriesScaler(500);
        for (double v : x) {
            lifetime.update(v);
            forgetting.update(v);
            assertEquals(lifetime.mean(), forgetting.mean());
            assertEquals(lifetime.m2(), forgetting.m2());
            assertEquals(lifetime.scale(), forgetting.scale());
        }
    }

    /**
     * Past the memory, the statistics are the exponentially weighted mean and variance with weight
     * 1/N, computed here in their textbook form (West 1979) from the first N values' plain mean and
     * variance.
     */
    @Test
    void pastTheMemoryTheStatisticsAreExponentiallyWeighted() {
        int memory = 48;
        double[] x = trending(3000, 5);
        SeriesScaler scaler = new SeriesScaler(memory);
        double mean = 0;
        for (int t = 0; t < memory; t++) {
            mean += x[t] / memory;
        }
        double var = 0;
        for (int t = 0; t < memory; t++) {
            var += (x[t] - mean) * (x[t] - mean) / memory;
        }
        for (int t = 0; t < memory; t++) {
            scaler.update(x[t]);
        }
        double alpha = 1.0 / memory;
        for (int t = memory; t < x.length; t++) {
            double delta = x[t] - mean;
            mean += alpha * delta;
            var = (1 - alpha) * (var + alpha * delta * delta);
            scaler.update(x[t]);
            assertEquals(mean, scaler.mean(), 1e-12 * Math.abs(mean), "t=" + t);
            assertEquals(Math.sqrt(var), scaler.scale(), 1e-9 * Math.sqrt(var), "t=" + t);
        }
        assertEquals(x.length, scaler.count());
    }

    /**
     * What a memory is for: the far past stops mattering. A scaler that saw the whole trending
     * series and one that saw only its last 30·N values agree, while lifetime statistics have
     * grown with the trend.
     */
    @Test
    void statisticsWithAMemoryForgetTheFarPast() {
        int memory = 100;
        double[] x = trending(20_000, 6);
        SeriesScaler whole = new SeriesScaler(memory);
        SeriesScaler recent = new SeriesScaler(memory);
        SeriesScaler lifetime = new SeriesScaler();
        for (int t = 0; t < x.length; t++) {
            whole.update(x[t]);
            lifetime.update(x[t]);
            if (t >= x.length - 30 * memory) {
                recent.update(x[t]);
            }
        }
        assertEquals(recent.mean(), whole.mean(), 1e-9 * Math.abs(whole.mean()));
        assertEquals(recent.scale(), whole.scale(), 1e-9 * whole.scale());
        // The cycle's and noise's spread is sqrt(4.5 + 1) = 2.3; the trend adds ~1 over 100 points.
        assertTrue(whole.scale() > 2 && whole.scale() < 3, "scale with memory " + whole.scale());
        assertTrue(lifetime.scale() > 50, "lifetime scale " + lifetime.scale());
    }

    @Test
    void useMemoryKeepsTheMeanAndTheScale() {
        double[] x = trending(1000, 7);
        SeriesScaler lifetime = new SeriesScaler();
        for (double v : x) {
            lifetime.update(v);
        }
        SeriesScaler converted = lifetime.copy();
        converted.useMemory(200);
        assertEquals(200, converted.memory());
        assertEquals(lifetime.count(), converted.count());
        assertEquals(lifetime.mean(), converted.mean());
        assertEquals(lifetime.scale(), converted.scale(), 1e-12 * lifetime.scale());
        converted.useMemory(SeriesScaler.LIFETIME);
        assertEquals(lifetime.scale(), converted.scale(), 1e-12 * lifetime.scale());

        // Within both memories nothing is scaled: the same bits.
        SeriesScaler young = new SeriesScaler(30, 4.0, 12.5);
        young.useMemory(720);
        assertEquals(new SeriesScaler(30, 4.0, 12.5, 720), young);
        young.useMemory(720);
        assertEquals(new SeriesScaler(30, 4.0, 12.5, 720), young, "the same memory again is a no-op");
    }

    @Test
    void aMemoryOfOneOrLessIsRejected() {
        for (int bad : new int[] {1, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SeriesScaler(bad));
            assertEquals("scaling memory must be 0 (lifetime) or >= 2, was " + bad, e.getMessage());
            SeriesScaler scaler = new SeriesScaler(5, 1.0, 2.0);
            assertThrows(IllegalArgumentException.class, () -> scaler.useMemory(bad));
            assertEquals(new SeriesScaler(5, 1.0, 2.0), scaler, "unchanged");
        }
        assertNotEquals(new SeriesScaler(5, 1.0, 2.0), new SeriesScaler(5, 1.0, 2.0, 2), "equals sees the memory");
    }
}
