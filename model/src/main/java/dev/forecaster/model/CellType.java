package dev.forecaster.model;

/**
 * Recurrent cell of a model. The name is what snapshots record ({@code ArchitectureSpec.cellType}),
 * so constants must never be renamed. docs/kernel.md has each cell's equations.
 */
public enum CellType {
    /** Long short-term memory: DL4J's {@code LSTM} layer, gates [a | f | o | i], cell state c. */
    LSTM(4, true),
    /**
     * Gated recurrent unit in the original form of Cho et al. (2014), with the reset gate applied to
     * h before the recurrent product; gates [r | z | n]. Trained as our SameDiff layer {@code
     * dl4j.GruLayer}, since DL4J has no GRU layer for {@code MultiLayerNetwork}.
     */
    GRU(3, false),
    /** Elman network: h' = tanh(x·W + h·RW + b), DL4J's {@code SimpleRnn} layer. */
    RNN(1, false);

    private final int blocks;
    private final boolean cellState;

    CellType(int blocks, boolean cellState) {
        this.blocks = blocks;
        this.cellState = cellState;
    }

    /**
     * Pre-activation blocks of H units each per layer, i.e. the weights are [nIn x blocks·H] and
     * [H x blocks·H] and the bias has blocks·H values.
     */
    public int blocks() {
        return blocks;
    }

    /** Whether the cell keeps a memory c besides its output h (only the LSTM does). */
    public boolean hasCellState() {
        return cellState;
    }
}
