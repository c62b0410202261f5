package dev.forecaster.model.kernel;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;

import java.io.Serializable;
import java.util.Objects;

/**
 * One event of one series: update its normaliser, feed the normalised value (and the calendar
 * features of its event time, when the model reads them) through the kernel and
 * map the head's outputs back to the series' units: a mean as its {@link ForecastTarget#mean} (from
 * the normalised level, or from the change since {@code value}), a
 * Gaussian head's standard deviation as {@code sd × scaler.scale()} (the same scale, so mean and sd
 * stay in the same coordinates), times the model's per-step {@link SpreadCalibration} factor. The
 * scaler and recurrent state belong to the
 * caller (keyed state); this class holds only the shared kernel and reusable buffers, so it has the
 * same one-thread-at-a-time rule as {@link LstmForecaster#step}.
 */
public final class SeriesForecaster implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LstmForecaster kernel;
    private final InputFeatures features;
    /** Null only in instances serialised before calibration existed; then the kernel's. */
    private SpreadCalibration calibration;
    private transient float[] input;
    private transient float[] out;

    /** Serves the kernel's snapshot's spread calibration. */
    public SeriesForecaster(LstmForecaster kernel) {
        this(kernel, kernel.spreadCalibration());
    }

    /**
     * With spreads multiplied by {@code calibration} instead; {@link SpreadCalibration#identity}
     * gives the head's raw spreads, which is what fitting a new calibration needs.
     */
    public SeriesForecaster(LstmForecaster kernel, SpreadCalibration calibration) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        if (calibration.horizon() != kernel.spec().horizon()) {
            throw new IllegalArgumentException(calibration + " does not fit " + kernel.spec());
        }
        this.features = kernel.spec().features();
        if (kernel.spec().inputSize() != features.width()) {
            throw new IllegalArgumentException("SeriesForecaster feeds " + features.names()
                    + " per step; model needs " + kernel.spec().inputSize() + " inputs");
        }
        allocate();
    }

    public LstmForecaster kernel() {
        return kernel;
    }

    /**
     * Consumes {@code value}, observed at {@code eventTime} (epoch milliseconds; only models with
     * calendar features read it), mutating {@code scaler} and {@code state}, and returns forecasts
     * of the next {@code horizon} values, element k-1 being k steps ahead, in the series' units.
     *
     * @throws IllegalArgumentException when {@code value} is not finite; neither scaler nor state
     *     is changed then
     */
    public double[] observe(SeriesScaler scaler, RecurrentState state, long eventTime, double value) {
        return predict(scaler, state, eventTime, value).means();
    }

    /**
     * A forecast in the series' units.
     *
     * @param means element k-1 is the mean k steps ahead
     * @param spreads the standard deviations of the same steps, calibrated, for a model with a
     *     probabilistic head; null for a point head
     */
    public record Prediction(double[] means, double[] spreads) {}

    /** As {@link #observe}, with the predicted spreads when the model has a probabilistic head. */
    public Prediction predict(SeriesScaler scaler, RecurrentState state, long eventTime, double value) {
        step(scaler, state, eventTime, value);
        int horizon = kernel.spec().horizon();
        ForecastTarget target = kernel.spec().target();
        double scale = scaler.scale();
        double[] means = new double[horizon];
        double[] spreads = kernel.spec().head().probabilistic() ? new double[horizon] : null;
        for (int k = 0; k < horizon; k++) {
            means[k] = target.mean(scaler, value, out[k]);
            if (spreads != null) {
                spreads[k] = out[horizon + k] * scale * calibration.factor(k);
            }
        }
        return new Prediction(means, spreads);
    }

    private void step(SeriesScaler scaler, RecurrentState state, long eventTime, double value) {
        if (!state.matches(kernel.spec())) {
            throw new IllegalArgumentException(state + " does not fit " + kernel.spec());
        }
        int memory = kernel.spec().scalingMemory();
        if (scaler.memory() != memory) {
            // Statistics kept with another memory carry on with this model's, as training carries
            // on a window's start statistics; checked first so that a rejected value changes nothing.
            SeriesScaler.requireAccepted(value);
            scaler.useMemory(memory);
        }
        scaler.update(value);
        features.encode(scaler.normalise(value), eventTime, input);
        kernel.step(state, input, out);
    }

    private void allocate() {
        input = new float[kernel.spec().inputSize()];
        out = new float[kernel.spec().outputs()];
    }

    private void readObject(java.io.ObjectInputStream in)
            throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (calibration == null) {
            calibration = kernel.spreadCalibration();
        }
        allocate();
    }
}
