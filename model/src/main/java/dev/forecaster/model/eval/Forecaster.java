package dev.forecaster.model.eval;

/**
 * A univariate multi-step forecaster under backtest. {@link #fit} sees a series truncated at the
 * last row it may know, so no implementation can look at rows it would not have at that time.
 */
public interface Forecaster {

    /** Short name used in tables and on the command line. */
    String name();

    /**
     * Fits (or refits, from scratch) the model. Labels must come from {@code data.train()} rows
     * only; {@code data.val()} rows may only select the model (early stopping, regularisation).
     * Rows before a range's start may serve as inputs.
     */
    void fit(TrainingData data);

    /** As {@link #fit(TrainingData)}, reporting scores on the way to {@code progress}; most forecasters have none. */
    default void fit(TrainingData data, FitProgress progress) {
        fit(data);
    }

    /**
     * Forecasts the {@code horizon} values after the last element of {@code history}, element
     * k-1 being k steps ahead, in the series' units.
     *
     * @param history the series up to and including the origin; at least its last {@link
     *     #lookback()} values (all of them when the series is shorter)
     */
    double[] forecast(double[] history, int horizon);

    /**
     * As {@link #forecast(double[], int)}, for forecasters that also read the rows' times (calendar
     * features); the others ignore them.
     *
     * @param times event times (epoch milliseconds) of {@code history}'s rows, or null when the
     *     series has none
     */
    default double[] forecast(double[] history, long[] times, int horizon) {
        return forecast(history, horizon);
    }

    /** As {@link #spreads(double[], int)}, with the rows' times (see {@link #forecast(double[], long[], int)}). */
    default double[] spreads(double[] history, long[] times, int horizon) {
        return spreads(history, horizon);
    }

    /** How many of the latest values {@link #forecast} reads; callers may pass just those. */
    int lookback();

    /**
     * The predicted standard deviation of each step of {@link #forecast}'s forecast from the same
     * history, in the series' units, for a probabilistic forecaster (its steps are Gaussians with
     * those means and spreads); null for a point forecaster.
     */
    default double[] spreads(double[] history, int horizon) {
        return null;
    }
}
