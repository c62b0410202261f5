package dev.forecaster.model.eval;

import java.util.Objects;

/**
 * A forecaster that is already fitted, whose {@link #fit} therefore does nothing: a seed
 * ensemble's member, backtested on its own after the ensemble fitted it, so that one run reports
 * the members' scores beside their average without fitting them again. Only a frozen backtest
 * (one fit) scores it as what it is; an online backtest would keep the last fit for every origin.
 */
public final class Prefitted implements Forecaster {

    private final Forecaster fitted;

    public Prefitted(Forecaster fitted) {
        this.fitted = Objects.requireNonNull(fitted, "fitted");
    }

    @Override
    public String name() {
        return fitted.name();
    }

    /** Keeps the fit it has. */
    @Override
    public void fit(TrainingData data) {}

    @Override
    public double[] forecast(double[] history, int horizon) {
        return fitted.forecast(history, horizon);
    }

    @Override
    public double[] forecast(double[] history, long[] times, int horizon) {
        return fitted.forecast(history, times, horizon);
    }

    @Override
    public double[] spreads(double[] history, int horizon) {
        return fitted.spreads(history, horizon);
    }

    @Override
    public double[] spreads(double[] history, long[] times, int horizon) {
        return fitted.spreads(history, times, horizon);
    }

    @Override
    public int lookback() {
        return fitted.lookback();
    }
}
