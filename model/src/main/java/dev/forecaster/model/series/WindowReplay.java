package dev.forecaster.model.series;

import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;

import java.util.List;

/**
 * Replays held-out series windows through a model the way serving forecasts a key: each window
 * from the statistics the key had before its first value ({@link TimedValues#startScaler}; empty
 * ones for a window that carries none), so that every point is normalised as serving and training
 * normalise it, and from a zero recurrent state, point by point. The gate's scores, a candidate's
 * spread calibration and its shrinkage toward persistence are all measured this way, so that they
 * describe the forecasts serving will make. A window without event times is skipped for a model
 * with calendar features, which cannot run on it.
 */
public final class WindowReplay {

    private WindowReplay() {}

    /** One forecast: made at point {@code t} of {@code window}, with the scaler as it was then. */
    @FunctionalInterface
    public interface Origin {
        void accept(double[] window, int t, SeriesScaler scaler, SeriesForecaster.Prediction prediction);
    }

    /**
     * Hands {@code origin} the forecast made at every point of every window that has a later point
     * to compare it with (all but the last).
     */
    public static void forEachOrigin(SeriesForecaster forecaster, List<TimedValues> windows, Origin origin) {
        for (TimedValues timed : windows) {
            if (!timed.canFeed(forecaster.kernel().spec().features())) {
                continue;
            }
            double[] window = timed.values();
            long[] times = timed.timesOrZeros();
            SeriesScaler scaler = timed.startScaler(forecaster.kernel().spec().scalingMemory());
            RecurrentState state = forecaster.kernel().newState();
            for (int t = 0; t + 1 < window.length; t++) {
                origin.accept(window, t, scaler, forecaster.predict(scaler, state, times[t], window[t]));
            }
        }
    }
}
