package dev.forecaster.model.train;

import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.ModelPolicy;
import dev.forecaster.model.series.SeriesHistory;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.ModelSnapshot;

/**
 * Each key learns its own model from its own stream, from a cold start: it keeps its last {@code
 * historyLength} values; once it has seen {@code warmup} observations it trains a first model on
 * them, and then retrains every {@code retrainEvery} observations on the history at that moment,
 * continuing from the previous weights.
 *
 * <p>Every decision depends only on how many observations the key has seen and on their values:
 * training number k uses seed {@code seed + k}, so running on a prefix of a stream reproduces the
 * models, forecasts and scores of that prefix exactly. Training runs synchronously on the
 * operator's thread, so the cost is bounded by the iteration budgets, not by the data.
 *
 * <p>A new model replays the whole history from a zero recurrent state before it serves, so its
 * state carries the recent context at once rather than from its first live step. Model versions
 * of a key count its trainings (0 = no model yet, persistence forecasts).
 *
 * <p>Needs DL4J on the class path; the streaming job jar, which leaves DL4J out, never loads this.
 */
public final class OnlineTraining implements ModelPolicy {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OnlineTraining.class);

    private final TrainingOptions options;
    private final int warmup;
    private final int retrainEvery;
    private final int historyLength;
    private final int initialIterations;
    private final int retrainIterations;

    /**
     * @param options architecture and optimiser settings; its seed is the base seed, its
     *     iteration count and validation fraction are ignored
     */
    public OnlineTraining(TrainingOptions options, int warmup, int retrainEvery, int historyLength,
            int initialIterations, int retrainIterations) {
        this.options = Objects.requireNonNull(options, "options");
        int minimum = LstmTrainer.WARMUP + options.windowLength() + options.horizon();
        if (warmup < minimum || historyLength < warmup) {
            throw new IllegalArgumentException("warm-up (" + warmup + ") must be at least " + minimum
                    + " (one training window) and at most the history length (" + historyLength + ")");
        }
        if (retrainEvery <= 0 || initialIterations <= 0 || retrainIterations <= 0) {
            throw new IllegalArgumentException("retrain interval and iteration budgets must be > 0");
        }
        this.warmup = warmup;
        this.retrainEvery = retrainEvery;
        this.historyLength = historyLength;
        this.initialIterations = initialIterations;
        this.retrainIterations = retrainIterations;
    }

    /** The options every training of this schedule starts from (seed and budget vary per training). */
    public TrainingOptions options() {
        return options;
    }

    @Override
    public int horizon() {
        return options.horizon();
    }

    /** Whether a key that has consumed {@code observations} values trains before the next one. */
    public boolean trainsAt(long observations) {
        return observations >= warmup && (observations - warmup) % retrainEvery == 0;
    }

    @Override
    public LstmForecaster prepare(SeriesState state) {
        if (state.history == null) {
            // Everything the key saw before it had a history counts as already evicted.
            state.history = new SeriesHistory(historyLength, state.scaler.copy());
        }
        if (trainsAt(state.observations)) {
            train(state);
        }
        if (state.ownModel == null) {
            return null;
        }
        if (state.ownKernel == null) {
            state.ownKernel = LstmForecaster.fromSnapshot(state.ownModel);
        }
        return state.ownKernel;
    }

    @Override
    public void observed(SeriesState state, long eventTime, double value) {
        state.history.add(eventTime, value);
    }

    private void train(SeriesState state) {
        long trainings = state.ownModel == null ? 0 : state.ownModel.getVersion();
        TrainingOptions opts = options.toBuilder()
                .seed(options.seed() + trainings)
                .maxIterations(trainings == 0 ? initialIterations : retrainIterations)
                .validationFraction(0.0)
                .evaluate(false)
                .build();
        double[] values = state.history.values();
        long[] times = state.history.times();
        ModelSnapshot snapshot;
        try {
            snapshot = new LstmTrainer().train(List.of(values), List.of(times),
                    List.of(state.history.startScaler()), state.ownModel, opts, TrainingListener.NONE);
        } catch (IllegalStateException diverged) {
            // Keep serving the previous model (or persistence); the next scheduled training retries.
            LOG.warn("Training {} after {} observations failed; keeping the current model: {}",
                    trainings + 1, state.observations, diverged.getMessage());
            return;
        }
        snapshot.setVersion(trainings + 1);
        snapshot.setParentVersion(trainings == 0 ? null : trainings);
        LstmForecaster kernel = LstmForecaster.fromSnapshot(snapshot);

        // A first model's memory may differ from the statistics the key kept while it had none.
        state.history.useScalingMemory(kernel.spec().scalingMemory());
        RecurrentState recurrent = kernel.newState();
        SeriesScaler scaler = state.history.startScaler();
        SeriesForecaster replay = new SeriesForecaster(kernel);
        for (int i = 0; i < values.length; i++) {
            replay.observe(scaler, recurrent, times[i], values[i]);
        }
        state.ownModel = snapshot;
        state.ownKernel = kernel;
        state.recurrent = recurrent;
        state.scaler = scaler;
        state.modelVersion = snapshot.getVersion();
    }
}
