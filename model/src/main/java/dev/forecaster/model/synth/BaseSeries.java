package dev.forecaster.model.synth;

import java.util.Objects;

/**
 * A real series to inject anomalies into (e.g. one ETT column), on a regular grid.
 *
 * @param name prefix of the generated keys, e.g. {@code ETTh1-OT}
 */
public record BaseSeries(String name, long[] epochMillis, double[] values) {

    public BaseSeries {
        Objects.requireNonNull(name, "name");
        if (epochMillis.length != values.length) {
            throw new IllegalArgumentException(epochMillis.length + " times but " + values.length + " values");
        }
    }

    /** The median gap between consecutive times: the grid step. */
    public long stepMillis() {
        if (epochMillis.length < 2) {
            throw new IllegalArgumentException("a base series needs at least two rows");
        }
        long[] gaps = new long[epochMillis.length - 1];
        for (int i = 1; i < epochMillis.length; i++) {
            gaps[i - 1] = epochMillis[i] - epochMillis[i - 1];
        }
        java.util.Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }
}
