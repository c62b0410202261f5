package dev.forecaster.model.eval;

/** Running mean squared and mean absolute error. Mutable, not thread-safe. */
public final class ErrorMetrics {

    private long count;
    private double sumSquared;
    private double sumAbsolute;

    public void add(double predicted, double actual) {
        double e = predicted - actual;
        if (!Double.isFinite(e)) {
            throw new IllegalArgumentException(
                    "non-finite error: predicted " + predicted + ", actual " + actual);
        }
        count++;
        sumSquared += e * e;
        sumAbsolute += Math.abs(e);
    }

    public long count() {
        return count;
    }

    /** NaN when nothing was added. */
    public double mse() {
        return count == 0 ? Double.NaN : sumSquared / count;
    }

    /** NaN when nothing was added. */
    public double mae() {
        return count == 0 ? Double.NaN : sumAbsolute / count;
    }
}
