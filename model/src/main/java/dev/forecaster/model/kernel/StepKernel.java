package dev.forecaster.model.kernel;

/**
 * The arithmetic of one time step of a recurrent stack and its head, behind {@link
 * LstmForecaster}: one implementation per cell type, scalar and vector. Implementations own
 * scratch buffers, so an instance is driven by one thread at a time. Callers validate arguments;
 * kernels trust them.
 */
interface StepKernel {

    /** Short name for logs and benchmark output, e.g. {@code vector} or {@code scalar}. */
    String name();

    /** One line for reports, e.g. the vector width. */
    default String describe() {
        return name();
    }

    /** As {@link LstmForecaster#step}. */
    void step(RecurrentState state, float[] input, float[] out);

    /**
     * Steps the first {@code count} keys; the result for key k must equal {@code step(states[k],
     * inputs[k], outs[k])} (to the kernel's rounding, which for the vector kernel is bit for bit).
     * States must be distinct objects.
     */
    void stepBatch(RecurrentState[] states, float[][] inputs, float[][] outs, int count);
}
