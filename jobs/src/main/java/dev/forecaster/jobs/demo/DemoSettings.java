package dev.forecaster.jobs.demo;

import java.nio.file.Path;

import dev.forecaster.model.ForecastTarget;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.train.TrainingOptions;
import java.time.Duration;

/**
 * What a demo run does; built by the CLI, defaults below. {@code head} is the trained model's head,
 * {@code features} its inputs (the value, optionally calendar features), {@code target} what its
 * means forecast (null: the trainer's default), {@code shrink} whether a change model's steps are
 * shrunk toward persistence by factors fitted on its held-out windows (docs/architecture.md,
 * "Shrinking toward persistence"), {@code scalingMemory} the memory of its series statistics (null:
 * the trainer's default; docs/architecture.md, "Scaling memory").
 */
public record DemoSettings(
        int keys,
        double rate,
        long maxEvents,
        Path csv,
        Path model,
        Path saveModel,
        long seed,
        int hiddenSize,
        int horizon,
        int trainIterations,
        int historySteps,
        int parallelism,
        int partitions,
        int badEvery,
        Duration checkpointInterval,
        boolean liveView,
        String alertsTopic,
        boolean retrain,
        Duration retrainPeriod,
        HeadKind head,
        InputFeatures features,
        ForecastTarget target,
        boolean shrink,
        Integer scalingMemory) {

    /** With a point head reading the value only. */
    public DemoSettings(int keys, double rate, long maxEvents, Path csv, Path model, Path saveModel, long seed,
            int hiddenSize, int horizon, int trainIterations, int historySteps, int parallelism, int partitions,
            int badEvery, Duration checkpointInterval, boolean liveView, String alertsTopic, boolean retrain,
            Duration retrainPeriod) {
        this(keys, rate, maxEvents, csv, model, saveModel, seed, hiddenSize, horizon, trainIterations, historySteps,
                parallelism, partitions, badEvery, checkpointInterval, liveView, alertsTopic, retrain, retrainPeriod,
                HeadKind.POINT, InputFeatures.VALUE_ONLY, null, true);
    }

    /** With the trainer's default scaling memory. */
    public DemoSettings(int keys, double rate, long maxEvents, Path csv, Path model, Path saveModel, long seed,
            int hiddenSize, int horizon, int trainIterations, int historySteps, int parallelism, int partitions,
            int badEvery, Duration checkpointInterval, boolean liveView, String alertsTopic, boolean retrain,
            Duration retrainPeriod, HeadKind head, InputFeatures features, ForecastTarget target, boolean shrink) {
        this(keys, rate, maxEvents, csv, model, saveModel, seed, hiddenSize, horizon, trainIterations, historySteps,
                parallelism, partitions, badEvery, checkpointInterval, liveView, alertsTopic, retrain, retrainPeriod,
                head, features, target, shrink, null);
    }

    public DemoSettings {
        if (head == null) {
            throw new IllegalArgumentException("--head must be point or gaussian");
        }
        features = features == null ? InputFeatures.VALUE_ONLY : features;
        target = target == null ? TrainingOptions.defaults().target() : target;
        scalingMemory = SeriesScaler.checkMemory(
                scalingMemory == null ? TrainingOptions.defaults().scalingMemory() : scalingMemory);
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be at least 1");
        }
        if (parallelism < 1 || partitions < 1) {
            throw new IllegalArgumentException("--parallelism and --partitions must be at least 1");
        }
        if (retrainPeriod == null || retrainPeriod.isNegative() || retrainPeriod.isZero()) {
            throw new IllegalArgumentException("--retrain-period must be positive");
        }
        if (alertsTopic == null || alertsTopic.isBlank()) {
            throw new IllegalArgumentException("--alerts-topic must not be blank");
        }
    }
}
