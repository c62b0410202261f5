package dev.forecaster.model;

import dev.forecaster.schema.ArchitectureSpec;

import java.io.Serializable;
import java.util.Objects;

/**
 * Architecture of a forecaster: a stack of {@code layers} recurrent layers of one {@code cellType}
 * and {@code hiddenSize} units each, reading {@code inputSize} features per step, topped by a linear
 * head forecasting {@code horizon} future steps: one value per step for a {@link HeadKind#POINT}
 * head, a mean and a log-sd per step for a {@link HeadKind#GAUSSIAN} one ({@link #outputs()}).
 */
public record ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon,
        HeadKind head) implements Serializable {

    public ModelSpec {
        Objects.requireNonNull(cellType, "cellType");
        // A spec Java-serialised before heads existed has none: it was a point forecaster.
        head = head == null ? HeadKind.POINT : head;
        requirePositive("inputSize", inputSize);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("layers", layers);
        requirePositive("horizon", horizon);
    }

    /** A point-head forecaster. */
    public ModelSpec(CellType cellType, int inputSize, int hiddenSize, int layers, int horizon) {
        this(cellType, inputSize, hiddenSize, layers, horizon, HeadKind.POINT);
    }

    /** This architecture with another head. */
    public ModelSpec withHead(HeadKind newHead) {
        return new ModelSpec(cellType, inputSize, hiddenSize, layers, horizon, newHead);
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
                .build();
    }

    /**
     * @throws IllegalArgumentException when the cell type or head is unknown to this build or a size
     *     is not positive
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
                avro.getHorizon(), HeadKind.parse(avro.getHead()));
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
