package dev.forecaster.model;

import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.schema.ArchitectureSpec;

import java.io.Serializable;
import java.util.Objects;

/**
 * Architecture of a forecaster: a stack of {@code layers} recurrent layers of one {@code cellType}
 * and {@code hiddenSize} units each, reading {@code inputSize} features per step, topped by a linear
 * head forecasting {@code horizon} future steps: one value per step for a {@link HeadKind#POINT}
 * head, a mean and a log-sd per step for a {@link HeadKind#GAUSSIAN} one ({@link #outputs()}).
 *
 * <p>{@code features} says what the inputs mean: the normalised value and optional calendar
 * features of the event time. A model with calendar features has {@code inputSize ==
 * features.width()}; a value-only one may declare more inputs, unnamed, which only code that
 * drives the kernel directly can feed (tests, benchmarks). {@code target} says what the means
 * forecast ({@link ForecastTarget}); the shorter constructors take {@link ForecastTarget#LEVEL},
 * what every model forecast before targets existed, and training chooses its own default ({@code
 * TrainingOptions}). {@code scalingMemory} says how the series' running mean and scale, which
 * inputs and outputs are measured in, forget ({@link SeriesScaler#memory()}): 0, what every model
 * used before it existed, keeps lifetime statistics.
 */
public record ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon,
        HeadKind head, InputFeatures features, ForecastTarget target, int scalingMemory) implements Serializable {

    public ModelSpec {
        Objects.requireNonNull(cellType, "cellType");
        // A spec Java-serialised before heads existed has none: it was a point forecaster.
        head = head == null ? HeadKind.POINT : head;
        features = features == null ? InputFeatures.VALUE_ONLY : features;
        // Likewise a spec from before targets: it forecast levels.
        target = target == null ? ForecastTarget.LEVEL : target;
        requirePositive("inputSize", inputSize);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("layers", layers);
        requirePositive("horizon", horizon);
        SeriesScaler.checkMemory(scalingMemory);
        if (features.usesTime() && inputSize != features.width()) {
            throw new IllegalArgumentException("Input features " + features.names() + " take "
                    + features.width() + " inputs, not " + inputSize);
        }
    }

    /** With lifetime scaling statistics. */
    public ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon,
            HeadKind head, InputFeatures features, ForecastTarget target) {
        this(cellType, inputSize, hiddenSize, layers, horizon, head, features, target, SeriesScaler.LIFETIME);
    }

    /** A level forecaster. */
    public ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon,
            HeadKind head, InputFeatures features) {
        this(cellType, inputSize, hiddenSize, layers, horizon, head, features, ForecastTarget.LEVEL);
    }

    /** A value-only (or unnamed-input) level forecaster. */
    public ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon,
            HeadKind head) {
        this(cellType, inputSize, hiddenSize, layers, horizon, head, InputFeatures.VALUE_ONLY);
    }

    /** A point-head forecaster. */
    public ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon) {
        this(cellType, inputSize, hiddenSize, layers, horizon, HeadKind.POINT);
    }

    /** This architecture with another head. */
    public ModelSpec withHead(HeadKind newHead) {
        return new ModelSpec(cellType, inputSize, hiddenSize, layers, horizon, newHead, features, target, scalingMemory);
    }

    /** This architecture reading {@code newFeatures}, its input size their width. */
    public ModelSpec withFeatures(InputFeatures newFeatures) {
        return new ModelSpec(cellType, newFeatures.width(), hiddenSize, layers, horizon, head, newFeatures, target,
                scalingMemory);
    }

    /** This architecture forecasting {@code newTarget}. */
    public ModelSpec withTarget(ForecastTarget newTarget) {
        return new ModelSpec(cellType, inputSize, hiddenSize, layers, horizon, head, features, newTarget, scalingMemory);
    }

    /** This architecture with series statistics of {@code memory} ({@link SeriesScaler#memory()}). */
    public ModelSpec withScalingMemory(int memory) {
        return new ModelSpec(cellType, inputSize, hiddenSize, layers, horizon, head, features, target, memory);
    }

    /** An empty normaliser with this model's scaling memory. */
    public SeriesScaler newScaler() {
        return new SeriesScaler(scalingMemory);
    }

    /** Values the head emits per step: {@code horizon} for a point head, {@code 2·horizon} for a Gaussian one. */
    public int outputs() {
        return horizon * head.outputsPerStep();
    }

    /** A univariate LSTM forecaster. */
    public static ModelSpec lstm(int hiddenSize, int layers, int horizon) {
        return of(CellType.LSTM, hiddenSize, layers, horizon);
    }

    /** A univariate forecaster with {@code cell} layers. */
    public static ModelSpec of(CellType cell, int hiddenSize, int layers, int horizon) {
        return new ModelSpec(cell, 1, hiddenSize, layers, horizon);
    }

    /** Inputs of recurrent layer {@code layer}: the features for the first, the layer below's h after. */
    public int layerInputs(int layer) {
        return layer == 0 ? inputSize : hiddenSize;
    }

    public ArchitectureSpec toAvro() {
        return ArchitectureSpec.newBuilder()
                .setCellType(cellType.name())
                .setInputSize(inputSize)
                .setHiddenSize(hiddenSize)
                .setLayers(layers)
                .setHorizon(horizon)
                .setHead(head.name())
                .setInputFeatures(features.names())
                .setCalendarZone(features.zone().getId())
                .setTarget(target.name())
                .setScalingMemory(scalingMemory)
                .build();
    }

    /**
     * @throws IllegalArgumentException when the cell type, head, target or an input feature is
     *     unknown to this build, a size is not positive or the scaling memory is 1 or negative
     */
    public static ModelSpec fromAvro(ArchitectureSpec avro) {
        Objects.requireNonNull(avro, "architecture");
        CellType cell;
        try {
            cell = CellType.valueOf(avro.getCellType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unsupported cell type '" + avro.getCellType() + "'; this build supports "
                            + java.util.Arrays.toString(CellType.values()), e);
        }
        return new ModelSpec(cell, avro.getInputSize(), avro.getHiddenSize(), avro.getLayers(),
                avro.getHorizon(), HeadKind.parse(avro.getHead()),
                InputFeatures.fromNames(avro.getInputFeatures(), avro.getCalendarZone().toString()),
                ForecastTarget.parse(avro.getTarget()), avro.getScalingMemory());
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
