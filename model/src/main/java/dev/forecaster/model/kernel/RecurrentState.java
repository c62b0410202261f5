package dev.forecaster.model.kernel;

import dev.forecaster.model.ModelSpec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Hidden and cell state of every layer of one series, {@code h[layer][unit]} and {@code
 * c[layer][unit]}. Only LSTM cells have a cell state; for the others every {@code c[layer]} is
 * empty, so that their keyed state is not twice as large as it needs to be. The kernel updates the
 * arrays in place; callers that keep a state across events (Flink keyed state) store and restore
 * these arrays.
 */
public final class RecurrentState implements Serializable {

    private static final long serialVersionUID = 1L;

    public final float[][] h;
    public final float[][] c;

    public RecurrentState(float[][] h, float[][] c) {
        Objects.requireNonNull(h, "h");
        Objects.requireNonNull(c, "c");
        if (h.length != c.length) {
            throw new IllegalArgumentException(
                    "h has " + h.length + " layers but c has " + c.length);
        }
        for (int l = 0; l < h.length; l++) {
            if (h[l] == null || c[l] == null || c[l].length != 0 && h[l].length != c[l].length) {
                throw new IllegalArgumentException("Layer " + l + " has mismatched h and c");
            }
        }
        this.h = h;
        this.c = c;
    }

    public static RecurrentState zeros(ModelSpec spec) {
        return new RecurrentState(
                new float[spec.layers()][spec.hiddenSize()],
                new float[spec.layers()][spec.cellType().hasCellState() ? spec.hiddenSize() : 0]);
    }

    public int layers() {
        return h.length;
    }

    /**
     * Whether this state has the layer count and width {@code spec} needs, and a cell state exactly
     * when its cell has one.
     */
    public boolean matches(ModelSpec spec) {
        return matches(spec.layers(), spec.hiddenSize(), spec.cellType().hasCellState() ? spec.hiddenSize() : 0);
    }

    /** {@link #matches(ModelSpec)} from the sizes: layers, h's width, and c's (0 without a cell state). */
    public boolean matches(int layers, int hidden, int cells) {
        if (h.length != layers) {
            return false;
        }
        for (int l = 0; l < layers; l++) {
            if (h[l].length != hidden || c[l].length != cells) {
                return false;
            }
        }
        return true;
    }

    public void reset() {
        for (int l = 0; l < h.length; l++) {
            Arrays.fill(h[l], 0f);
            Arrays.fill(c[l], 0f);
        }
    }

    public RecurrentState copy() {
        return new RecurrentState(deepCopy(h), deepCopy(c));
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecurrentState s
                && Arrays.deepEquals(h, s.h)
                && Arrays.deepEquals(c, s.c);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(h) + Arrays.deepHashCode(c);
    }

    @Override
    public String toString() {
        return "RecurrentState{layers=" + h.length
                + ", hidden=" + (h.length == 0 ? 0 : h[0].length) + '}';
    }
}
