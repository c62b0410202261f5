package dev.forecaster.model.train;

/** Progress callbacks of {@link LstmTrainer}, called on the training thread. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = (iteration, totalIterations, trainLoss) -> {};

    /**
     * After each minibatch.
     *
     * @param iteration 1-based
     * @param trainLoss DL4J's score of the minibatch's last truncated-BPTT segment
     */
    void onProgress(int iteration, int totalIterations, double trainLoss);

    /**
     * After each early-stopping score ({@link TrainingOptions#evalEvery()}): the head's training loss
     * on the held-out windows (MSE, or a Gaussian head's NLL) in normalised units.
     */
    default void onValidationScore(int iteration, double score) {}

    /**
     * After training (and after early stopping has put the best parameters back), with the mean
     * squared error on held-out windows in normalised units.
     */
    default void onValidation(double valLoss) {}
}
