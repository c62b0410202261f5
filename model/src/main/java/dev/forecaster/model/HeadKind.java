package dev.forecaster.model;

/**
 * What a model's linear head emits per forecast step. The name is what snapshots record ({@code
 * ArchitectureSpec.head}), so constants must never be renamed; snapshots from before heads existed
 * read as {@link #POINT}.
 */
public enum HeadKind {
    /** One value per step, the forecast mean, trained on squared error: H outputs. */
    POINT(1),
    /**
     * A Gaussian per step, trained on its negative log-likelihood: 2H outputs, H means then H
     * log standard deviations. The standard deviation is {@link #sd} of the raw output, i.e. the
     * log-sd clamped to [{@value #MIN_LOG_SD}, {@value #MAX_LOG_SD}] before exponentiation.
     */
    GAUSSIAN(2);

    /**
     * Bounds of the Gaussian head's log-sd, in normalised units. Without them one flat stretch
     * of a series (residuals exactly 0) rewards log-sd → -∞: the NLL diverges, the 1/sd² in its
     * gradient overflows float and the network is destroyed. e^-7 ≈ 0.0009 and e^7 ≈ 1100
     * normalised units cover every spread a z-scored series (clamped to ±10) can really have, so
     * the bounds never bind on sane data. Inside them the gradient is exact; beyond them it is 0
     * (the clamp is part of the model, and kernels apply the same one).
     */
    public static final double MIN_LOG_SD = -7.0;
    public static final double MAX_LOG_SD = 7.0;

    /** Standard normal quantile of 0.9: p10 and p90 are mean ∓ this many sds. */
    public static final double Z90 = 1.2815515655446004;

    private final int outputsPerStep;

    HeadKind(int outputsPerStep) {
        this.outputsPerStep = outputsPerStep;
    }

    /** Head outputs per forecast step. */
    public int outputsPerStep() {
        return outputsPerStep;
    }

    /** Whether the head predicts a spread besides the mean. */
    public boolean probabilistic() {
        return this == GAUSSIAN;
    }

    /** The clamped log-sd. */
    public static double clampLogSd(double logSd) {
        return Math.max(MIN_LOG_SD, Math.min(MAX_LOG_SD, logSd));
    }

    /** The standard deviation a raw log-sd output stands for. */
    public static double sd(double logSd) {
        return Math.exp(clampLogSd(logSd));
    }

    /**
     * {@code means[k] + z · spreads[k]} for every step: the Gaussian quantile at z (p10 at {@code
     * -Z90}, p90 at {@code +Z90}; p50 is the mean itself).
     */
    public static double[] quantile(double[] means, double[] spreads, double z) {
        if (means.length != spreads.length) {
            throw new IllegalArgumentException(means.length + " means but " + spreads.length + " spreads");
        }
        double[] q = new double[means.length];
        for (int k = 0; k < q.length; k++) {
            q[k] = means[k] + z * spreads[k];
        }
        return q;
    }

    /**
     * @throws IllegalArgumentException when {@code name} is unknown to this build
     */
    public static HeadKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unsupported head '" + name + "'; this build supports "
                    + java.util.Arrays.toString(values()), e);
        }
    }
}
