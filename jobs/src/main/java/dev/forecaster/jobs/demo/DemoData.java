package dev.forecaster.jobs.demo;

import java.util.Iterator;
import java.util.List;

import dev.forecaster.schema.Observation;

/** What the demo streams: a history to train on first, then the live observations. */
public interface DemoData {

    List<String> keys();

    /** The first part of every series, used to train the model before streaming starts. */
    List<double[]> trainingHistory();

    /** Event times (epoch milliseconds) of the history's rows, the same for every key. */
    long[] trainingTimes();

    /** The observations that follow the history, interleaved across keys in event-time order. */
    Iterator<Observation> stream();
}
