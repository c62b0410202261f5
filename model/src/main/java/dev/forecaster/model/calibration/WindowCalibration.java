package dev.forecaster.model.calibration;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.model.series.WindowReplay;
import dev.forecaster.schema.ModelSnapshot;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits a model's spread calibration on held-out series windows the way serving forecasts them
 * ({@link WindowReplay}, as the {@code ValidationGate} scores windows): every forecast made once {@code warmup}
 * points have been seen is compared, step by step, with the window's later values (steps that
 * run past the window's end are not scored, so far steps have fewer points than near ones; see
 * {@link SpreadCalibrator} for how few is too few).
 */
public final class WindowCalibration {

    private WindowCalibration() {}

    /**
     * The calibration of {@code kernel}'s raw spreads (its own factors, if any, are ignored).
     *
     * @param warmup points of each window fed before its forecasts count; the first counted
     *     forecast is the one made after point {@code warmup}, as the gate's first scored error
     * @throws IllegalArgumentException when the model has no probabilistic head
     */
    public static SpreadCalibrator.Fit fit(LstmForecaster kernel, List<TimedValues> windows, int warmup) {
        int horizon = kernel.spec().horizon();
        if (!kernel.spec().head().probabilistic()) {
            throw new IllegalArgumentException("a " + kernel.spec().head() + " head has no spreads to calibrate");
        }
        SeriesForecaster raw = new SeriesForecaster(kernel, SpreadCalibration.identity(horizon));
        SpreadCalibrator calibrator = new SpreadCalibrator(horizon);
        WindowReplay.forEachOrigin(raw, windows, (window, t, scaler, p) -> {
            if (t + 1 < warmup) {
                return;
            }
            for (int k = 0; k < horizon && t + 1 + k < window.length; k++) {
                calibrator.add(k, p.means()[k], p.spreads()[k], window[t + 1 + k]);
            }
        });
        return calibrator.fit();
    }

    /**
     * {@code snapshot} recalibrated on {@code windows} with the fit's figures added to its metrics
     * under {@code prefix} (replacing earlier ones of that prefix); when the windows hold too few
     * points the snapshot keeps the factors it had (none, the identity, for a snapshot that never
     * had any) and the figures say so ({@link SpreadCalibrator.Fit#metrics}).
     * A point head is returned unchanged.
     */
    public static ModelSnapshot recalibrate(ModelSnapshot snapshot, List<TimedValues> windows, int warmup,
            String prefix) {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snapshot);
        if (!kernel.spec().head().probabilistic()) {
            return snapshot;
        }
        SpreadCalibrator.Fit fit = fit(kernel, windows, warmup);
        ModelSnapshot out = fit.fitted() ? fit.calibration().attachTo(snapshot) : ModelSnapshot.newBuilder(snapshot).build();
        Map<String, Double> metrics = new TreeMap<>(snapshot.getMetrics());
        // An earlier calibration's figures would describe factors this one may have replaced.
        for (String name : SpreadCalibrator.Fit.METRIC_NAMES) {
            metrics.remove(prefix + name);
        }
        metrics.putAll(fit.metrics(prefix));
        out.setMetrics(metrics);
        return out;
    }
}
