package dev.forecaster.model.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Backtest.ForecastSink} that scores each step of the longest horizon on its own: the
 * squared error at step k, in the backtest's normalised units, over the origins whose whole longest
 * forecast lies in the test rows (the origins of that horizon's MSE, so the mean over steps is that
 * MSE); filled rows are not scored, as in {@link Backtest}. It also keeps the forecasts of a few
 * chosen origins, to be drawn. Where a horizon's single MSE hides how error grows with the step,
 * this shows it.
 */
public final class StepErrors implements Backtest.ForecastSink {

    private final double[] series;
    private final ZScore z;
    private final BitSet unscored;
    private final int maxHorizon;
    private final double[] sse;
    private final long[] count;
    private final Map<Integer, double[]> samples = new LinkedHashMap<>();

    /**
     * @param series every row, raw units
     * @param z the backtest's normalisation ({@link ZScore#of(double[], RowRange, BitSet)} of the train rows)
     * @param unscored filled rows (see {@link TimeSeries#missing})
     * @param maxHorizon the backtest's longest horizon
     * @param sampleOrigins origins whose forecasts {@link #samples} keeps
     */
    public StepErrors(double[] series, ZScore z, BitSet unscored, int maxHorizon, int... sampleOrigins) {
        this.series = Objects.requireNonNull(series, "series");
        this.z = Objects.requireNonNull(z, "z");
        this.unscored = (BitSet) unscored.clone();
        if (maxHorizon <= 0) {
            throw new IllegalArgumentException("maxHorizon must be positive, was " + maxHorizon);
        }
        this.maxHorizon = maxHorizon;
        this.sse = new double[maxHorizon];
        this.count = new long[maxHorizon];
        for (int origin : sampleOrigins) {
            samples.put(origin, null);
        }
    }

    @Override
    public void accept(int origin, double[] forecast) {
        if (samples.containsKey(origin)) {
            samples.put(origin, forecast.clone());
        }
        if (forecast.length < maxHorizon) {
            return;
        }
        for (int k = 0; k < maxHorizon; k++) {
            int row = origin + 1 + k;
            if (!unscored.get(row)) {
                double e = z.normalise(forecast[k]) - z.normalise(series[row]);
                sse[k] += e * e;
                count[k]++;
            }
        }
    }

    /** MSE at steps 1..maxHorizon (index k for step k + 1); NaN at a step nothing was scored at. */
    public double[] mseByStep() {
        double[] mse = new double[maxHorizon];
        for (int k = 0; k < maxHorizon; k++) {
            mse[k] = count[k] == 0 ? Double.NaN : sse[k] / count[k];
        }
        return mse;
    }

    /** The chosen origins' forecasts in raw units, in the order given; an origin not seen maps to null. */
    public Map<Integer, double[]> samples() {
        Map<Integer, double[]> copy = new LinkedHashMap<>();
        samples.forEach((k, v) -> copy.put(k, v == null ? null : Arrays.copyOf(v, v.length)));
        return copy;
    }
}
