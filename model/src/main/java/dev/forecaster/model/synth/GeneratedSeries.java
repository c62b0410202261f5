package dev.forecaster.model.synth;

/**
 * One generated series, rows in the order they arrive (which is not always time order: data
 * problems include duplicate and backward timestamps).
 *
 * @param anomalyType the type of every anomaly this series carries
 * @param slots for each row, the grid position at which it arrives; interleaves several series
 *     into one stream the way they would arrive together
 */
public record GeneratedSeries(String key, AnomalyType anomalyType, long[] epochMillis, double[] values, int[] slots) {

    public int rows() {
        return values.length;
    }
}
