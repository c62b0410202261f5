package dev.forecaster.model.series;

import java.util.Objects;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;

/**
 * One shared model that can be replaced while the job runs (hot swap), with every key keeping its
 * last {@code historyLength} values.
 *
 * <p>When the serving model changes, a key's recurrent state still belongs to the old one. On the
 * key's next event it is rebuilt, lazily, by replaying the key's buffered history through the new
 * model from a zero state, starting from the normalisation statistics of everything before the
 * history; those walk to the key's current statistics bit for bit. A new model with another
 * scaling memory ({@link SeriesScaler#memory()}) carries the statistics before the history on with
 * its memory, and the key's statistics become those the walk then reaches, which is what training
 * the new model on that history computed. The key then continues exactly as a key that had run
 * the new model over the same buffered window, and no forecast ever combines one model's state
 * with another model's weights.
 *
 * <p>Not thread-safe: one instance per operator subtask, swapped on the subtask's thread.
 */
public final class ServedModel implements ModelPolicy {

    private static final long serialVersionUID = 1L;

    private final int historyLength;
    private LstmForecaster model;
    private transient SeriesForecaster replay;
    private long rebuilds;

    public ServedModel(LstmForecaster initial, int historyLength) {
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be > 0, was " + historyLength);
        }
        this.model = Objects.requireNonNull(initial, "initial");
        this.historyLength = historyLength;
    }

    /** Serves {@code next} from now on; keys re-sync on their next event. */
    public void serve(LstmForecaster next) {
        if (next.spec().horizon() != model.spec().horizon()) {
            throw new IllegalArgumentException("horizon " + next.spec().horizon() + " differs from the served "
                    + model.spec().horizon() + ": forecasts would change shape");
        }
        this.model = next;
        this.replay = null;
    }

    public LstmForecaster model() {
        return model;
    }

    public int historyLength() {
        return historyLength;
    }

    /** Keys whose recurrent state was rebuilt for another model, by this instance. */
    public long rebuilds() {
        return rebuilds;
    }

    @Override
    public int horizon() {
        return model.spec().horizon();
    }

    @Override
    public LstmForecaster prepare(SeriesState state) {
        if (state.history == null) {
            // What the key saw before it had a history counts as already evicted.
            state.history = new SeriesHistory(historyLength, state.scaler.copy());
        }
        // Checked apart from the version: a state restored from before memories existed may meet a
        // model of the same version that has one.
        int memory = model.spec().scalingMemory();
        boolean otherMemory = state.scaler.memory() != memory;
        if (otherMemory) {
            state.history.useScalingMemory(memory);
            state.scaler = state.history.currentScaler();
        }
        if (otherMemory || state.modelVersion != model.version() || !state.recurrent.matches(model.spec())) {
            state.recurrent = replayHistory(state.history);
            state.modelVersion = model.version();
            rebuilds++;
        }
        return model;
    }

    @Override
    public void observed(SeriesState state, long eventTime, double value) {
        state.history.add(eventTime, value);
    }

    /** The recurrent state the served model reaches over the history, from a zero state. */
    RecurrentState replayHistory(SeriesHistory history) {
        if (replay == null || replay.kernel() != model) {
            replay = new SeriesForecaster(model);
        }
        RecurrentState state = model.newState();
        SeriesScaler scaler = history.startScaler();
        double[] values = history.values();
        long[] times = history.times();
        for (int i = 0; i < values.length; i++) {
            replay.observe(scaler, state, times[i], values[i]);
        }
        return state;
    }
}
