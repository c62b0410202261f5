package dev.forecaster.model.interpolation;

import dev.forecaster.model.CellType;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of the bidirectional interpolation model and its training.
 *
 * @param cell recurrent cell of both direction stacks
 * @param hidden units per recurrent layer and direction
 * @param layers depth of each direction's stack
 * @param window steps per training and inference window
 * @param minibatch windows per training step
 * @param maxIterations most training steps
 * @param evalEvery training steps between two looks at the held-out tail
 * @param patience looks without improvement after which training stops
 * @param learningRate Adam's step size
 * @param clipNorm per-layer L2 gradient clipping threshold
 * @param holdout fraction of the series, at its end, held out for early stopping
 */
public record InterpolationOptions(CellType cell, int hidden, int layers, int window, int minibatch,
        int maxIterations, int evalEvery, int patience, double learningRate, double clipNorm, double holdout)
        implements Serializable {

    /** Fewest valid rows a series needs to be trained on; shorter ones are not scored. */
    public static final int MIN_ROWS = 16;

    public InterpolationOptions {
        Objects.requireNonNull(cell, "cell");
        positive("hidden", hidden);
        positive("layers", layers);
        positive("minibatch", minibatch);
        positive("maxIterations", maxIterations);
        positive("evalEvery", evalEvery);
        positive("patience", patience);
        if (window < 8) {
            throw new IllegalArgumentException("window must be at least 8, was " + window);
        }
        if (!(learningRate > 0) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("learning rate and clip norm must be > 0");
        }
        if (!(holdout >= 0 && holdout < 0.5)) {
            throw new IllegalArgumentException("holdout must be in [0, 0.5), was " + holdout);
        }
    }

    /**
     * One LSTM layer of 16 units per direction, 64-step windows, 32 windows per step, at most 80
     * steps with a look at the last 10 % every 5 and a patience of 4 looks, Adam 1e-2, clipping 1:
     * budgets that keep a series' training to tens of seconds on two cores (docs/backfill.md).
     */
    public static InterpolationOptions defaults() {
        return new InterpolationOptions(CellType.LSTM, 16, 1, 64, 32, 80, 5, 4, 1e-2, 1.0, 0.1);
    }

    public InterpolationOptions withCell(CellType c) {
        return new InterpolationOptions(c, hidden, layers, window, minibatch, maxIterations, evalEvery, patience,
                learningRate, clipNorm, holdout);
    }

    public InterpolationOptions withShape(int hiddenUnits, int depth) {
        return new InterpolationOptions(cell, hiddenUnits, depth, window, minibatch, maxIterations, evalEvery,
                patience, learningRate, clipNorm, holdout);
    }

    public InterpolationOptions withTraining(int iterations, int windowSteps) {
        return new InterpolationOptions(cell, hidden, layers, windowSteps, minibatch, iterations, evalEvery, patience,
                learningRate, clipNorm, holdout);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
