package dev.forecaster.jobs.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.train.OnlineTraining;
import dev.forecaster.model.train.TrainingOptions;

/**
 * The cold-start training schedule of the backfill, shared by every command that scores a series
 * from scratch, so that they all run the very same per-key code with the same defaults.
 */
public final class OnlineTrainingOptions {

    @Option(names = "--warmup", defaultValue = "400", description = "Rows before the first training; persistence forecasts until then (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--retrain-every", defaultValue = "4000", description = "Rows between retrainings (default: ${DEFAULT-VALUE}).")
    int retrainEvery;

    @Option(names = "--history", defaultValue = "2000", description = "Most recent rows each training uses (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--hidden", defaultValue = "24", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--head", defaultValue = "point", converter = HeadOption.class,
            description = "Model head: point (means, trained on MSE) or gaussian (a mean and a standard deviation per step, trained on their likelihood; forecasts then carry spreads and p10/p90) (default: ${DEFAULT-VALUE}).")
    HeadKind head;

    @Option(names = "--forecast-target", defaultValue = "change", converter = ForecastTargetOption.class,
            description = "What the per-key models' means forecast: change (from the last value, so an untrained output is persistence) or level (the normalised value, as models did before) (default: ${DEFAULT-VALUE}).")
    ForecastTarget target;

    @Option(names = "--scaling-memory", defaultValue = "48", paramLabel = "N",
            description = "Points of memory of each series' running mean and scale, which the per-key models' inputs and forecast changes are measured in: each new value weighs 1/N once a key has N; 0 keeps statistics over the key's whole life, as models did before (default: ${DEFAULT-VALUE}).")
    int scalingMemory;

    @Mixin
    CalendarOptions calendar = new CalendarOptions();

    @Option(names = "--initial-iterations", defaultValue = "60", description = "TBPTT minibatches of the first training (default: ${DEFAULT-VALUE}).")
    int initialIterations;

    @Option(names = "--retrain-iterations", defaultValue = "20", description = "TBPTT minibatches of each retraining, continuing from the last model (default: ${DEFAULT-VALUE}).")
    int retrainIterations;

    /** @throws IllegalArgumentException when the settings are impossible */
    OnlineTraining policy(long seed, int horizon) {
        TrainingOptions options = TrainingOptions.builder()
                .seed(seed)
                .hiddenSize(hidden)
                .horizon(horizon)
                .windowLength(48)
                .tbpttLength(48)
                .batchSize(64)
                .learningRate(1e-2)
                .modelName("backfill-lstm")
                .head(head)
                .features(calendar.features())
                .target(target)
                .scalingMemory(scalingMemory)
                .build();
        return new OnlineTraining(options, warmup, retrainEvery, history, initialIterations, retrainIterations);
    }
}
