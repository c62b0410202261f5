package dev.forecaster.model.eval;

/**
 * Each future step repeats the value one period earlier; steps more than a period ahead repeat
 * the last observed period again.
 */
public final class SeasonalNaive implements Forecaster {

    private final int period;

    public SeasonalNaive(int period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be > 0, was " + period);
        }
        this.period = period;
    }

    public int period() {
        return period;
    }

    @Override
    public String name() {
        return "seasonal";
    }

    @Override
    public void fit(TrainingData data) {}

    @Override
    public double[] forecast(double[] history, int horizon) {
        int n = history.length;
        double[] out = new double[horizon];
        for (int k = 1; k <= horizon; k++) {
            int back = ((k - 1) % period) + 1;
            // Less than a period of history: fall back to the oldest value there is.
            out[k - 1] = history[Math.max(0, n - 1 - period + back)];
        }
        return out;
    }

    @Override
    public int lookback() {
        return period;
    }
}
