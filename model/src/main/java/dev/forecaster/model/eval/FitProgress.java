package dev.forecaster.model.eval;

/**
 * Scores a forecaster reports while it fits, for progress displays: a recurrent model's validation
 * score at each of its early-stopping checks. Called on the fitting thread.
 */
@FunctionalInterface
public interface FitProgress {

    FitProgress NONE = score -> {};

    void onScore(Score score);

    /**
     * One early-stopping check.
     *
     * @param model the forecaster's name (an ensemble member's own)
     * @param iteration minibatches fitted so far
     * @param maxIterations the fit's minibatch budget
     * @param trainLoss the training loss of the last minibatch
     * @param valMse validation MSE of the correction on the base, in units of the series' train std
     * @param valNll a Gaussian head's validation NLL, NaN for a point head
     * @param bestIteration the minibatch of the best validation score so far (0: the untrained network)
     */
    record Score(String model, int iteration, int maxIterations, double trainLoss, double valMse, double valNll,
            int bestIteration) {

        /** One line for a progress bar. */
        public String describe() {
            String nll = Double.isNaN(valNll) ? "" : String.format(java.util.Locale.ROOT, ", val nll %.4f", valNll);
            return String.format(java.util.Locale.ROOT, "fitting %s: minibatch %d/%d, train loss %.4f, val mse %.4f%s, best at %d",
                    model, iteration, maxIterations, trainLoss, valMse, nll, bestIteration);
        }
    }
}
