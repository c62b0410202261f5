package dev.forecaster.model.eval;

import java.util.Arrays;

/** Every future step equals the last observed value. */
public final class Persistence implements Forecaster {

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public void fit(TrainingData data) {}

    @Override
    public double[] forecast(double[] history, int horizon) {
        double[] out = new double[horizon];
        Arrays.fill(out, history[history.length - 1]);
        return out;
    }

    @Override
    public int lookback() {
        return 1;
    }
}
