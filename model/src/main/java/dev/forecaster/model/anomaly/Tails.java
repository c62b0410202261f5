package dev.forecaster.model.anomaly;

/**
 * Logarithms of normal and gamma tail probabilities, computed in log space so that a residual of 40
 * standard deviations still gives a finite, ordered surprise instead of {@code -log(0)}.
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

    /** Relative precision at which the gamma series and continued fraction stop. */
    private static final double GAMMA_EPS = 1e-15;
    private static final int GAMMA_MAX_TERMS = 100_000;

    /**
     * Both tail surprises of X ~ Gamma(shape, 1) at one point: {@code upper = -ln P(X >= x)} and
     * {@code lower = -ln P(X <= x)}.
     */
    public record GammaSurprises(double upper, double lower) {}

    /**
     * Both tails from one incomplete-gamma evaluation: P and Q = 1 - P come from the same series
     * or continued fraction, which is the costly part (hundreds of terms for a large shape), so a
     * caller that needs both should not pay for it twice. Upper 0 and lower infinite for {@code x
     * <= 0}.
     */
    public static GammaSurprises gammaSurprises(double shape, double x) {
        checkShape(shape);
        if (!(x > 0)) {
            return new GammaSurprises(0.0, Double.POSITIVE_INFINITY);
        }
        if (x < shape + 1) {
            double logP = logLowerRegularized(shape, x);
            return new GammaSurprises(-Math.log1p(-Math.exp(logP)), -logP);
        }
        double logQ = logUpperRegularized(shape, x);
        return new GammaSurprises(-logQ, -Math.log1p(-Math.exp(logQ)));
    }

    /** {@code -ln P(X >= x)} for X ~ Gamma(shape, 1): the surprise of an upper tail. 0 for {@code x <= 0}. */
    public static double gammaUpperSurprise(double shape, double x) {
        return gammaSurprises(shape, x).upper();
    }

    /** {@code -ln P(X <= x)} for X ~ Gamma(shape, 1): the surprise of a lower tail. Infinite for {@code x <= 0}. */
    public static double gammaLowerSurprise(double shape, double x) {
        return gammaSurprises(shape, x).lower();
    }

    private static void checkShape(double shape) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("shape must be positive and finite, was " + shape);
        }
    }

    /** ln of the regularized lower incomplete gamma P(a, x) by its power series; use for x < a + 1. */
    static double logLowerRegularized(double a, double x) {
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n < GAMMA_MAX_TERMS; n++) {
            term *= x / (a + n);
            sum += term;
            if (term < sum * GAMMA_EPS) {
                break;
            }
        }
        return -x + a * Math.log(x) - logGamma(a) + Math.log(sum);
    }

    /**
     * ln of the regularized upper incomplete gamma Q(a, x) by its continued fraction (modified Lentz
     * evaluation); use for x >= a + 1.
     */
    static double logUpperRegularized(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < GAMMA_MAX_TERMS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < GAMMA_EPS) {
                break;
            }
        }
        return -x + a * Math.log(x) - logGamma(a) + Math.log(h);
    }

    /** Lanczos coefficients for g = 7, nine terms: about 15 significant digits for a > 0. */
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    /** {@code ln Γ(a)} for {@code a > 0}. */
    static double logGamma(double a) {
        if (a < 0.5) {
            // Reflection keeps the approximation in its accurate range.
            return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
        }
        double z = a - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
