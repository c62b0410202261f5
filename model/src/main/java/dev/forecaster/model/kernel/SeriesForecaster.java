package dev.forecaster.model.kernel;

import dev.forecaster.model.scaling.SeriesScaler;

import java.io.Serializable;
import java.util.Objects;

/**
 * One event of one series: update its normaliser, feed the normalised value through the kernel and
 * map the head's outputs back to the series' units. The scaler and recurrent state belong to the
 * caller (keyed state); this class holds only the shared kernel and reusable buffers, so it has the
 * same one-thread-at-a-time rule as {@link LstmForecaster#step}.
 */
public final class SeriesForecaster implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LstmForecaster kernel;
    private transient float[] input;
    private transient float[] out;

    public SeriesForecaster(LstmForecaster kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        if (kernel.spec().inputSize() != 1) {
            throw new IllegalArgumentException(
                    "SeriesForecaster feeds one value per step; model needs "
                            + kernel.spec().inputSize() + " inputs");
        }
        allocate();
    }

    public LstmForecaster kernel() {
        return kernel;
    }

    /**
     * Consumes {@code value} (mutating {@code scaler} and {@code state}) and returns forecasts of
     * the next {@code horizon} values, element k-1 being k steps ahead, in the series' units.
     *
     * @throws IllegalArgumentException when {@code value} is not finite; neither scaler nor state
     *     is changed then
     */
    public double[] observe(SeriesScaler scaler, RecurrentState state, double value) {
        if (!state.matches(kernel.spec())) {
            throw new IllegalArgumentException(state + " does not fit " + kernel.spec());
        }
        scaler.update(value);
        input[0] = scaler.normalise(value);
        kernel.step(state, input, out);
        int horizon = kernel.spec().horizon();
        double[] forecast = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            forecast[k] = scaler.denormalise(out[k]);
        }
        return forecast;
    }

    private void allocate() {
        input = new float[kernel.spec().inputSize()];
        out = new float[kernel.spec().horizon()];
    }

    private void readObject(java.io.ObjectInputStream in)
            throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        allocate();
    }
}
