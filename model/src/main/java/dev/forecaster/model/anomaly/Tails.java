package dev.forecaster.model.anomaly;

/**
 * Logarithms of normal tail probabilities, computed in log space so that a residual of 40 standard
 * deviations still gives a finite, ordered surprise instead of {@code -log(0)}.
 */
public final class Tails {

    private static final double SQRT_HALF = Math.sqrt(0.5);

    private Tails() {}

    /**
     * {@code ln erfc(x)} for {@code x >= 0}: the Chebyshev fit of Numerical Recipes (fractional
     * error below 1.2e-7 everywhere), with the exponential kept as a sum of logarithms.
     */
    static double logErfc(double x) {
        if (x < 0) {
            throw new IllegalArgumentException("x must be >= 0, was " + x);
        }
        double t = 1.0 / (1.0 + 0.5 * x);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.log(t) - x * x + poly;
    }

    /** {@code -ln P(|Z| >= |z|)} for a standard normal Z: 0 at z = 0, about z²/2 far out. */
    public static double twoSidedSurprise(double z) {
        return Math.max(0.0, -logErfc(Math.abs(z) * SQRT_HALF));
    }

    /** {@code -ln P(Z >= z)}, the surprise of an upper tail. */
    public static double upperSurprise(double z) {
        if (z >= 0) {
            return -(Math.log(0.5) + logErfc(z * SQRT_HALF));
        }
        // P(Z >= z) = 1 - P(Z >= -z); log1p keeps precision when the tail is tiny.
        return -Math.log1p(-0.5 * Math.exp(logErfc(-z * SQRT_HALF)));
    }
}
