package dev.forecaster.model.dl4j;

/**
 * A recurrent layer runtime that backpropagates a truncated-BPTT segment correctly when DL4J asks
 * it for its ordinary {@code backpropGradient}, which is all that {@code MultiLayerNetwork} 1.0.0-M2.1
 * ever asks (see {@link TruncatedBpttNetwork}): after a forward pass from the stored state, it
 * backpropagates from that state through the segment's last {@code steps} steps.
 */
interface TruncatedBackprop {

    /** Steps at the end of a segment that gradients flow back through; at least 1. */
    void truncateBackpropTo(int steps);
}
