package dev.forecaster.model.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Early stopping on held-out windows: a score every {@code every} minibatches and after the last
 * one, the parameters of the best score kept (the first of equal ones), and the run ended once
 * {@code patience} scores in a row have not beaten it. Scores are taken only at those minibatches,
 * so the draw of training minibatches, and with it determinism, does not depend on them.
 */
final class EarlyStopping {

    private final int every;
    private final int patience;
    private final int maxIterations;
    private double bestScore = Double.POSITIVE_INFINITY;
    private int bestIteration;
    private INDArray bestParams;
    private int sinceBest;
    private int lastIteration;

    EarlyStopping(int every, int patience, int maxIterations) {
        if (every <= 0 || patience <= 0) {
            throw new IllegalArgumentException("every and patience must be > 0, were " + every + ", " + patience);
        }
        this.every = every;
        this.patience = patience;
        this.maxIterations = maxIterations;
    }

    /** Whether minibatch {@code iteration} (1-based) is followed by a score. */
    boolean scoresAfter(int iteration) {
        return iteration % every == 0 || iteration == maxIterations;
    }

    /**
     * Records the score after minibatch {@code iteration}, keeping a copy of {@code net}'s
     * parameters when it is the best so far.
     *
     * @return whether the run should end here
     */
    boolean stopsAfter(int iteration, double score, MultiLayerNetwork net) {
        lastIteration = iteration;
        if (score < bestScore) {
            bestScore = score;
            bestIteration = iteration;
            bestParams = net.params().dup();
            sinceBest = 0;
            return false;
        }
        return ++sinceBest >= patience;
    }

    /** Puts the best parameters back, unless the network already has them. */
    void restoreBest(MultiLayerNetwork net) {
        if (bestParams != null && bestIteration != lastIteration) {
            net.setParams(bestParams);
        }
    }

    int bestIteration() {
        return bestIteration;
    }

    double bestScore() {
        return bestScore;
    }
}
