package dev.forecaster.model.calibration;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.model.series.WindowReplay;
import dev.forecaster.schema.ModelSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shrinks a change model's forecast steps toward persistence on held-out series windows, the way
 * serving forecasts them ({@link WindowReplay}, as {@link WindowCalibration} does for spreads):
 * every forecast made once {@code warmup} points have been seen gives an origin whose known later values are the
 * labels. One factor per step ({@link CorrectionShrinkage}) is then folded into the head ({@link
 * HeadScaling}). The trainer shrinks on its own held-out windows; this is for models that were
 * trained without any, the retraining rounds' candidates.
 */
public final class WindowShrinkage {

    /** Fewer origins than this leave a model as it is: too little to tell a step's worth. */
    public static final int MIN_ORIGINS = 100;

    /** Metric names, after the caller's prefix. */
    public static final List<String> METRIC_NAMES = List.of("shrink_origins", "shrink_min", "shrink_mean");

    private WindowShrinkage() {}

    /** The factors and the origins they were fitted on (those of the first step). */
    public record Fit(double[] factors, int origins) {
        public boolean fitted() {
            return origins >= MIN_ORIGINS;
        }
    }

    /**
     * @throws IllegalArgumentException when the model does not forecast changes: a level model's
     *     zero output is not persistence
     */
    public static Fit fit(LstmForecaster kernel, List<TimedValues> windows, int warmup) {
        if (kernel.spec().target() != ForecastTarget.CHANGE) {
            throw new IllegalArgumentException("a " + kernel.spec().target() + " model has no persistence to shrink toward");
        }
        int horizon = kernel.spec().horizon();
        ForecastTarget target = kernel.spec().target();
        SeriesForecaster forecaster = new SeriesForecaster(kernel);
        List<float[]> changes = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        WindowReplay.forEachOrigin(forecaster, windows, (window, t, scaler, p) -> {
            if (t + 1 < warmup) {
                return;
            }
            float[] change = new float[horizon];
            float[] label = new float[horizon];
            Arrays.fill(label, Float.NaN);
            double scale = scaler.scale();
            for (int k = 0; k < horizon; k++) {
                change[k] = (float) ((p.means()[k] - window[t]) / scale);
                if (t + 1 + k < window.length) {
                    label[k] = (float) target.label(scaler, window[t], window[t + 1 + k]);
                }
            }
            changes.add(change);
            labels.add(label);
        });
        float[][] c = changes.toArray(new float[0][]);
        float[][] e = labels.toArray(new float[0][]);
        return new Fit(CorrectionShrinkage.factors(c, e, horizon, CorrectionShrinkage.DEFAULT_BLOCKS), c.length);
    }

    /**
     * {@code snapshot} with its forecast steps shrunk on {@code windows} and the fit's figures in
     * its metrics under {@code prefix} (replacing earlier ones of that prefix). A level model comes
     * back unchanged; so does one whose windows give fewer than {@link #MIN_ORIGINS} origins, with
     * {@code shrink_origins} saying how many there were.
     */
    public static ModelSnapshot reshrink(ModelSnapshot snapshot, List<TimedValues> windows, int warmup, String prefix) {
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snapshot);
        if (kernel.spec().target() != ForecastTarget.CHANGE) {
            return snapshot;
        }
        Fit fit = fit(kernel, windows, warmup);
        ModelSnapshot out = fit.fitted()
                ? HeadScaling.scaled(snapshot, fit.factors())
                : ModelSnapshot.newBuilder(snapshot).build();
        Map<String, Double> metrics = new TreeMap<>(snapshot.getMetrics());
        for (String name : METRIC_NAMES) {
            metrics.remove(prefix + name);
        }
        metrics.put(prefix + "shrink_origins", (double) fit.origins());
        if (fit.fitted()) {
            metrics.put(prefix + "shrink_min", Arrays.stream(fit.factors()).min().orElse(1));
            metrics.put(prefix + "shrink_mean", Arrays.stream(fit.factors()).average().orElse(1));
        }
        out.setMetrics(metrics);
        return out;
    }
}
