package dev.forecaster.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

class AnomalyScorerTest {

    private static final AnomalyScorer SCORER = AnomalyScorer.defaults();

    /** Scores of residuals fed straight to the scorer. */
    private static double[] scores(double[] residuals, double scale) {
        AnomalyState state = SCORER.newState();
        double[] out = new double[residuals.length];
        for (int i = 0; i < residuals.length; i++) {
            out[i] = SCORER.score(state, residuals[i], scale);
            assertTrue(out[i] >= 0 && out[i] <= 1, "score " + out[i] + " at " + i);
        }
        return out;
    }

    private static double[] gaussian(int n, double sd, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = sd * random.nextGaussian();
        }
        return x;
    }

    private static double quantile(double[] values, int from, double p) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v[(int) Math.round(p * (v.length - 1))];
    }

    @Test
    void noiseOfVeryDifferentScalesScoresAlike() {
        double[] small = scores(gaussian(5000, 1e-3, 1), 1e-3);
        double[] large = scores(gaussian(5000, 1e4, 2), 1e4);
        for (double p : new double[] {0.5, 0.9, 0.99}) {
            double a = quantile(small, 1000, p);
            double b = quantile(large, 1000, p);
            assertEquals(a, b, 0.05, "quantile " + p + " of scores on sd 1e-3 vs sd 1e4 noise");
        }
        // Same noise, rescaled: identical scores up to rounding, since everything is relative.
        double[] unit = scores(gaussian(3000, 1, 3), 1);
        double[] scaled = scores(Arrays.stream(gaussian(3000, 1, 3)).map(x -> x * 1e6).toArray(), 1e6);
        for (int i = 0; i < unit.length; i++) {
            assertEquals(unit[i], scaled[i], 1e-9, "score " + i);
        }
        // Calibrated: on pure noise, high scores are rare.
        assertTrue(quantile(small, 1000, 0.99) < 0.7, "p99 " + quantile(small, 1000, 0.99));
    }

    @Test
    void warmUpScoresZero() {
        double[] s = scores(gaussian(200, 1, 4), 1);
        for (int i = 0; i < SCORER.warmup() - 1; i++) {
            assertEquals(0.0, s[i], "score " + i + " during warm-up");
        }
        assertTrue(Arrays.stream(s, SCORER.warmup(), 200).anyMatch(x -> x > 0));
    }

    @Test
    void spikeScoresHighestAtItsOwnPoint() {
        double[] r = gaussian(2000, 2, 5);
        r[1500] += 20;
        double[] s = scores(r, 2);
        double p99 = quantile(Arrays.copyOfRange(s, 0, 1490), 500, 0.99);
        assertTrue(s[1500] > 0.9, "spike score " + s[1500]);
        assertTrue(s[1500] > p99, "spike above the clean p99 " + p99);
        for (int i = 1501; i < 1510; i++) {
            assertTrue(s[i] <= s[1500], "the score decays after the spike: " + i);
        }
    }

    @Test
    void varianceIncreaseIsAnomalousThenBecomesTheNewNormal() {
        double[] r = gaussian(6000, 1, 6);
        for (int i = 3000; i < r.length; i++) {
            r[i] *= 6;
        }
        double[] s = scores(r, 1);
        double before = quantile(Arrays.copyOfRange(s, 1000, 3000), 0, 0.99);
        double onset = Arrays.stream(s, 3000, 3030).max().orElseThrow();
        assertTrue(onset > before, "onset " + onset + " vs clean p99 " + before);
        double late = quantile(Arrays.copyOfRange(s, 5000, 6000), 0, 0.5);
        assertTrue(late < 0.3, "adapted: median " + late);
    }

    @Test
    void goingFlatWhereVariationIsExpectedScoresHigh() {
        double[] r = gaussian(3000, 1, 7);
        Arrays.fill(r, 2500, 3000, 0.0);
        double[] s = scores(r, 1);
        double before = quantile(Arrays.copyOfRange(s, 1000, 2500), 0, 0.95);
        double flat = Arrays.stream(s, 2500, 2600).max().orElseThrow();
        assertTrue(flat > before, "flat line " + flat + " vs clean p95 " + before);
    }

    @Test
    void missingForecastIsNeutral() {
        AnomalyState state = SCORER.newState();
        assertEquals(0.0, SCORER.score(state, Double.NaN, 1));
        assertEquals(SCORER.newState(), state, "NaN residual leaves the state alone");
    }

    @Test
    void tailsAreFiniteAndOrderedFarOut() {
        double previous = -1;
        for (double z = 0; z <= 60; z += 0.5) {
            double s = Tails.twoSidedSurprise(z);
            assertTrue(Double.isFinite(s) && s > previous, "z=" + z);
            previous = s;
        }
        assertEquals(-Math.log(0.05), Tails.twoSidedSurprise(1.959964), 1e-5);
        assertEquals(-Math.log(0.5), Tails.upperSurprise(0), 1e-6);
        assertEquals(-Math.log(0.975), Tails.upperSurprise(-1.959964), 1e-6);
        assertTrue(AnomalyScorer.toScore(100) < 1 && AnomalyScorer.toScore(30) < AnomalyScorer.toScore(40));
    }
}
