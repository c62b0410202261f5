package dev.forecaster.model.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.forecaster.model.calibration.WindowCalibration;
import dev.forecaster.model.calibration.WindowShrinkage;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.model.series.WindowReplay;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

/**
 * Decides whether a retrained candidate may replace the serving model. The candidate is scored
 * against the serving model and a persistence forecast on held-out windows; it is promoted only
 * when it is sound and better than both by the margin. A window without event times (cut before
 * they were recorded) is not scored for a model with calendar features, which cannot run on it.
 */
public final class ValidationGate {

    /** The outcome, with the figures it was based on. */
    public record Decision(boolean promoted, String reason, Map<String, Double> metrics) {}

    private final double margin;
    private final double divergenceFactor;
    private final int warmup;

    /**
     * @param margin relative improvement over the serving model required, e.g. 0.02 for 2%
     * @param divergenceFactor a candidate whose error exceeds the serving model's by this factor
     *     is treated as diverged, not merely worse
     * @param warmup points of each window fed to the model before its forecasts are scored
     */
    public ValidationGate(double margin, double divergenceFactor, int warmup) {
        this.margin = margin;
        this.divergenceFactor = divergenceFactor;
        this.warmup = warmup;
    }

    public Decision evaluate(ModelSnapshot candidate, ModelSnapshot serving, List<TimedValues> heldOut) {
        if (!candidate.getArchitecture().equals(serving.getArchitecture())) {
            return reject("wrong architecture: " + candidate.getArchitecture() + " vs serving " + serving.getArchitecture(),
                    Map.of());
        }
        if (!finiteParameters(candidate)) {
            return reject("candidate has NaN or infinite parameters", Map.of());
        }
        LstmForecaster candidateKernel = LstmForecaster.fromSnapshot(candidate);
        LstmForecaster servingKernel = LstmForecaster.fromSnapshot(serving);
        double[] candidateError = oneStepSquaredError(candidateKernel, heldOut);
        double[] servingError = oneStepSquaredError(servingKernel, heldOut);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("candidate_mse", candidateError[0]);
        metrics.put("serving_mse", servingError[0]);
        metrics.put("persistence_mse", candidateError[1]);
        metrics.put("scored_points", candidateError[2]);
        if (candidateError[2] == 0) {
            return reject("no held-out points to score", metrics);
        }
        if (!Double.isFinite(candidateError[0])) {
            return reject("candidate forecasts are not finite", metrics);
        }
        if (candidateError[0] > divergenceFactor * servingError[0]) {
            return reject("candidate diverged: mse " + candidateError[0] + " vs serving " + servingError[0], metrics);
        }
        if (candidateError[0] > (1 - margin) * servingError[0]) {
            return reject("not better than serving by " + margin * 100 + "%", metrics);
        }
        if (candidateError[0] >= candidateError[1]) {
            return reject("not better than persistence", metrics);
        }
        return new Decision(true, "better than serving and persistence", metrics);
    }

    /**
     * {@code candidate} with its Gaussian head's spread calibration refitted on the held-out
     * windows, scored from the same warm-up as {@link #evaluate}, and the fit's figures added to
     * its metrics as {@code gate_cover80_raw}, {@code gate_cover80}, … ({@link
     * WindowCalibration#recalibrate}); a point head comes back unchanged. Calibration changes
     * spreads only, so it does not change what {@link #evaluate} decides.
     */
    public ModelSnapshot calibrate(ModelSnapshot candidate, List<TimedValues> heldOut) {
        return WindowCalibration.recalibrate(candidate, heldOut, warmup, "gate_");
    }

    /**
     * {@code candidate}, when it forecasts changes, with each forecast step shrunk toward
     * persistence by a factor fitted on the held-out windows from the same warm-up as {@link
     * #evaluate} ({@link WindowShrinkage#reshrink}), the fit's figures in its metrics as {@code
     * gate_shrink_min}, …; a level model comes back unchanged. Rounds train without held-out
     * windows of their own, so this is where a candidate gets what the first training's
     * held-out windows gave the served model. The factors are fitted on the windows
     * {@link #evaluate} then scores: one number per step, damped by its uncertainty, so the
     * candidate gains little from that.
     */
    public ModelSnapshot shrink(ModelSnapshot candidate, List<TimedValues> heldOut) {
        return WindowShrinkage.reshrink(candidate, heldOut, warmup, "gate_");
    }

    /** The model's mean squared one-step error on the windows, in their normalised units. */
    public double oneStepMse(ModelSnapshot model, List<TimedValues> windows) {
        return oneStepSquaredError(LstmForecaster.fromSnapshot(model), windows)[0];
    }

    /**
     * Mean squared one-step error in each window's normalised units (so that series of different
     * magnitudes weigh the same), of the model and of persistence, and the number of points.
     */
    private double[] oneStepSquaredError(LstmForecaster kernel, List<TimedValues> windows) {
        // model error, persistence error, points
        double[] sums = new double[3];
        WindowReplay.forEachOrigin(new SeriesForecaster(kernel), windows, (window, t, scaler, p) -> {
            if (t + 1 < warmup) {
                return;
            }
            double scale = scaler.scale();
            double e = (p.means()[0] - window[t + 1]) / scale;
            double persistence = (window[t] - window[t + 1]) / scale;
            sums[0] += e * e;
            sums[1] += persistence * persistence;
            sums[2]++;
        });
        double n = sums[2];
        return new double[] {n == 0 ? Double.NaN : sums[0] / n, n == 0 ? Double.NaN : sums[1] / n, n};
    }

    /** Whether every parameter is finite. */
    public static boolean finiteParameters(ModelSnapshot snapshot) {
        for (Tensor t : snapshot.getTensors()) {
            for (float v : SnapshotFiles.bytesToFloats(t.getData())) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Decision reject(String reason, Map<String, Double> metrics) {
        return new Decision(false, reason, metrics);
    }
}
