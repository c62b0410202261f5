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

    @Test
    void gammaTailsMatchClosedForms() {
        for (double x : new double[] {1e-6, 0.01, 0.5, 1.9, 2.1, 5, 30, 300}) {
            // Shape 1 is the exponential distribution.
            assertEquals(x, Tails.gammaUpperSurprise(1, x), 1e-9 * Math.max(1, x), "Q(1, " + x + ")");
            assertEquals(-Math.log(-Math.expm1(-x)), Tails.gammaLowerSurprise(1, x), 1e-9 * Math.max(1, x), "P(1, " + x + ")");
            // Q(2, x) = e^-x (1 + x).
            assertEquals(x - Math.log1p(x), Tails.gammaUpperSurprise(2, x), 1e-9 * Math.max(1, x), "Q(2, " + x + ")");
            // Q(1/2, x) = erfc(sqrt x) = P(|Z| >= sqrt(2x)).
            assertEquals(Tails.twoSidedSurprise(Math.sqrt(2 * x)), Tails.gammaUpperSurprise(0.5, x),
                    2e-6 * Math.max(1, x), "Q(0.5, " + x + ")");
        }
        assertEquals(Math.log(24), Tails.logGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), Tails.logGamma(0.5), 1e-12);
        assertEquals(0.0, Tails.gammaUpperSurprise(3, 0));
        assertEquals(Double.POSITIVE_INFINITY, Tails.gammaLowerSurprise(3, 0));
        double previous = -1;
        for (double x = 0.5; x < 2000; x *= 1.3) {
            double u = Tails.gammaUpperSurprise(7.3, x);
            assertTrue(Double.isFinite(u) && u > previous, "upper tail finite and ordered at " + x);
            previous = u;
        }
        // Continuous where the series hands over to the continued fraction (x = shape + 1).
        assertEquals(Tails.gammaUpperSurprise(7.3, 8.3 - 1e-9), Tails.gammaUpperSurprise(7.3, 8.3 + 1e-9), 1e-8);
        assertEquals(Tails.gammaLowerSurprise(7.3, 8.3 - 1e-9), Tails.gammaLowerSurprise(7.3, 8.3 + 1e-9), 1e-8);
    }

    @Test
    void oneEvaluationGivesBothWindowTailsBitForBit() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            // Long means from below the floor to large, variances from tiny (shape at its cap) to
            // huge (shape below 1), window means on both sides of the long mean and at zero.
            double longMean = i % 10 == 0 ? random.nextDouble() * 2e-3 : Math.exp(random.nextDouble(-5, 5));
            double longVar = Math.exp(random.nextDouble(-12, 6)) * longMean * longMean;
            double windowMean = i % 17 == 0 ? 0.0 : longMean * Math.exp(random.nextDouble(-4, 4));
            Tails.GammaSurprises both = AnomalyScorer.windowSurprises(windowMean, longMean, longVar);
            String at = "window " + windowMean + ", long mean " + longMean + ", long var " + longVar;
            assertEquals(AnomalyScorer.upperTailSurprise(windowMean, longMean, longVar), both.upper(), 0.0, at);
            assertEquals(AnomalyScorer.lowerTailSurprise(windowMean, longMean, longVar), both.lower(), 0.0, at);
        }
    }

    /**
     * On well-behaved residuals the likelihood is calibrated: scores above 0.7 (a tail probability
     * of 1.5e-5 on either side) are about as rare as they claim to be.
     */
    @Test
    void highScoresAreAboutAsRareAsTheyClaimOnGaussianResiduals() {
        int n = 100_000;
        double[] s = scores(gaussian(n, 3.0, 8), 3.0);
        long above = Arrays.stream(s, 1000, n).filter(x -> x >= 0.7).count();
        double nominal = 2 * Math.exp(Math.log1p(-0.7) * AnomalyScorer.SCORE_SCALE) * (n - 1000);
        assertTrue(above <= 5 * nominal, above + " points scored >= 0.7, nominally " + nominal);
        long aboveHalf = Arrays.stream(s, 1000, n).filter(x -> x >= 0.5).count();
        double nominalHalf = 2 * Math.exp(Math.log1p(-0.5) * AnomalyScorer.SCORE_SCALE) * (n - 1000);
        assertTrue(aboveHalf <= 2 * nominalHalf && aboveHalf >= nominalHalf / 4,
                aboveHalf + " points scored >= 0.5, nominally " + nominalHalf);
    }

    @Test
    void assessmentExposesSurpriseSpreadAndDirection() {
        AnomalyState state = SCORER.newState();
        double[] r = gaussian(1500, 2.0, 9);
        AnomalyScorer.Assessment last = null;
        for (double x : r) {
            last = SCORER.assess(state, x, 2.0);
        }
        assertTrue(last.scored());
        assertEquals(2.0, last.spread(), 0.4, "spread of the recent residuals, in the series' units");
        // Measured against the statistics as they stand after the last point.
        AnomalyScorer.Assessment spike =
                SCORER.assess(state, state.residualMean + 7 * Math.sqrt(state.residualVar), 2.0);
        assertEquals(Tails.twoSidedSurprise(7), spike.surprise(), 1e-9, "raw surprise of a 7-spread residual");
        assertEquals(7, spike.z(), 1e-9);
        assertEquals(AnomalyScorer.ErrorTail.LARGE, spike.tail());
        assertTrue(spike.likelihood() > 0.9, "likelihood " + spike.likelihood());

        AnomalyState flat = SCORER.newState();
        AnomalyScorer.Assessment a = null;
        double[] g = gaussian(1500, 1.0, 10);
        for (int i = 0; i < g.length; i++) {
            a = SCORER.assess(flat, i < 1200 ? g[i] : 0.0, 1.0);
        }
        assertEquals(AnomalyScorer.ErrorTail.SMALL, a.tail(), "errors far smaller than usual");
        assertTrue(a.windowMean() < 0.1 * a.usualMean(), a.toString());

        assertEquals(false, SCORER.assess(SCORER.newState(), Double.NaN, 1).scored());
        assertEquals(false, SCORER.assess(SCORER.newState(), 1.0, 1).scored(), "warming up");
    }

    /**
     * With a predicted spread p the residual is measured against √((p² + s²)/2), s the residual
     * spread; the same residual is more surprising where the model expected a tighter distribution
     * and less where it expected a wider one, and the residual statistics are the same either way.
     */
    @Test
    void aPredictedSpreadIsBlendedWithTheResidualSpread() {
        double[] g = gaussian(300, 2.0, 11L);
        AnomalyState plain = SCORER.newState();
        AnomalyState sure = SCORER.newState();
        AnomalyState unsure = SCORER.newState();
        for (double r : g) {
            SCORER.assess(plain, r, 1.0);
            SCORER.assess(sure, r, 1.0, 0.5);
            SCORER.assess(unsure, r, 1.0, 8.0);
        }
        assertEquals(plain.residualMean, sure.residualMean, 0);
        assertEquals(plain.residualVar, unsure.residualVar, 0);
        double s = Math.sqrt(plain.residualVar);
        AnomalyScorer.Assessment a = SCORER.assess(plain.copy(), 6.0, 1.0);
        AnomalyScorer.Assessment tight = SCORER.assess(sure.copy(), 6.0, 1.0, 0.5);
        AnomalyScorer.Assessment wide = SCORER.assess(unsure.copy(), 6.0, 1.0, 8.0);
        assertEquals(s, a.spread(), 1e-12);
        assertEquals(Math.sqrt((0.25 + s * s) / 2), tight.spread(), 1e-12);
        assertEquals(Math.sqrt((64 + s * s) / 2), wide.spread(), 1e-12);
        assertTrue(tight.surprise() > a.surprise() && a.surprise() > wide.surprise(),
                tight.surprise() + " > " + a.surprise() + " > " + wide.surprise());
        // NaN or non-positive predicted spreads fall back to the residual spread.
        assertEquals(a.z(), SCORER.assess(plain.copy(), 6.0, 1.0, Double.NaN).z(), 0);
        assertEquals(a.z(), SCORER.assess(plain.copy(), 6.0, 1.0, 0.0).z(), 0);
    }
}
