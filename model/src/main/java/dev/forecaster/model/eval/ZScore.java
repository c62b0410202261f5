package dev.forecaster.model.eval;

/**
 * Fixed z-normalisation with the mean and population standard deviation of a range of rows, as
 * the benchmark scores errors: on the train rows' scale, so that errors are comparable across
 * series and with published numbers.
 */
public record ZScore(double mean, double std) {

    public ZScore {
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("need a finite mean and a positive std, were " + mean + ", " + std);
        }
    }

    public static ZScore of(double[] values, RowRange rows) {
        double mean = 0;
        for (int i = rows.start(); i < rows.end(); i++) {
            mean += values[i];
        }
        mean /= rows.length();
        double ss = 0;
        for (int i = rows.start(); i < rows.end(); i++) {
            double d = values[i] - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / rows.length());
        if (!(std > 0)) {
            throw new IllegalArgumentException("rows " + rows + " are constant; cannot z-normalise");
        }
        return new ZScore(mean, std);
    }

    public double normalise(double x) {
        return (x - mean) / std;
    }

    public double denormalise(double z) {
        return mean + z * std;
    }
}
