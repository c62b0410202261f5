package dev.forecaster.model.kernel;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets a model's step kernel compiled before records need it, by stepping throwaway states.
 *
 * <p>Until C2 has compiled them, the vector kernels run through the Vector API's Java fallback,
 * which boxes every vector: a step at H = 64 costs tens to hundreds of µs instead of about 1 µs. A JVM that
 * starts serving (a job's first start, every restart after a failure, a rescale) pays that for
 * every record until the compiler gets to the kernel; in the demo's job, sharing the compiler with
 * Flink's and Kafka's own start-up, that took about 9 s of a 12 s stream. Stepping in a tight loop
 * makes the kernel the hottest code of the JVM, so it is compiled first; alone, 20 000 steps take
 * about 0.7 s from a cold JVM.
 *
 * <p>Once per JVM for each kernel and model shape: compiled code is shared by all threads, and a
 * model of a shape already warmed up needs nothing. The throwaway states are the only ones it
 * touches, and a kernel's result does not depend on the calls before it (the order in which a
 * step reads its weights alternates between calls, but no sum's order does), so forecasts are the
 * same with or without it.
 */
public final class KernelWarmUp {

    /** What has been warmed up in this JVM: kernel name and model shape. */
    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();
    /** Steps between checks of the clock. */
    private static final int CHUNK = 500;
    /** Keys whose states the warm-up rotates over, so that state loads vary as they do in service. */
    private static final int KEYS = 16;

    private KernelWarmUp() {}

    /**
     * How much warming up to do.
     *
     * @param steps at most this many steps; 0 turns the warm-up off
     * @param budget at most this long (checked every {@value #CHUNK} steps)
     */
    public record Settings(int steps, Duration budget) implements Serializable {

        /** 20 000 steps or 3 s: about 0.7 s on an idle core, bounded on a busy one. */
        public static final Settings DEFAULT = new Settings(20_000, Duration.ofSeconds(3));
        public static final Settings OFF = new Settings(0, Duration.ZERO);

        public Settings {
            Objects.requireNonNull(budget, "budget");
            if (steps < 0) {
                throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
            }
            if (budget.isNegative()) {
                throw new IllegalArgumentException("warm-up budget must not be negative, got " + budget);
            }
        }
    }

    /**
     * What a warm-up did.
     *
     * @param ran false when it was off, or this JVM had warmed up the same kernel and shape before
     * @param steps steps taken
     * @param elapsed time taken
     * @param lastMicrosPerStep the last chunk's cost per step, which shows whether compiled code
     *     was reached (about 1 µs at H = 64 when it was); NaN when nothing ran
     */
    public record Result(boolean ran, int steps, Duration elapsed, double lastMicrosPerStep) {

        static final Result SKIPPED = new Result(false, 0, Duration.ZERO, Double.NaN);
    }

    /**
     * Warms {@code model}'s kernel up unless this JVM already did it for its kernel and shape, or
     * {@code settings} turns it off. Uses {@code model}'s own scratch buffers: call it from the
     * thread that owns the model, before it serves.
     */
    public static Result ensureWarm(LstmForecaster model, Settings settings) {
        if (settings.steps() == 0 || !WARMED.add(model.kernelName() + " " + model.spec())) {
            return Result.SKIPPED;
        }
        return run(model, settings);
    }

    /** Steps throwaway states for {@code settings}' steps or budget, whichever ends first. */
    static Result run(LstmForecaster model, Settings settings) {
        RecurrentState[] states = new RecurrentState[KEYS];
        for (int k = 0; k < KEYS; k++) {
            states[k] = model.newState();
        }
        float[] input = new float[model.spec().inputSize()];
        float[] out = new float[model.spec().outputs()];
        long budget = settings.budget().toNanos();
        long start = System.nanoTime();
        long chunkStart = start;
        int steps = 0;
        double lastMicros = Double.NaN;
        while (steps < settings.steps()) {
            int n = Math.min(CHUNK, settings.steps() - steps);
            for (int i = 0; i < n; i++, steps++) {
                // Values in the range of scaled series, so activations see what service gives them.
                for (int f = 0; f < input.length; f++) {
                    input[f] = (float) Math.sin(0.1 * steps + f);
                }
                model.step(states[steps % KEYS], input, out);
            }
            long now = System.nanoTime();
            lastMicros = (now - chunkStart) / 1e3 / n;
            chunkStart = now;
            if (now - start >= budget) {
                break;
            }
        }
        return new Result(true, steps, Duration.ofNanos(System.nanoTime() - start), lastMicros);
    }
}
