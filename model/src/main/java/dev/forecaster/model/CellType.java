package dev.forecaster.model;

/** Recurrent cell of a model. Only LSTM is implemented; GRU and plain RNN are planned. */
public enum CellType {
    LSTM
}
