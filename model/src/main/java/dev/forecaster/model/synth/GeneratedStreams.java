package dev.forecaster.model.synth;

import java.util.List;

import dev.forecaster.model.quality.Label;

/**
 * The output of {@link StreamGenerator}: the series and their labels (anomalies and data
 * problems), sorted by series and row.
 *
 * @param stepsPerDay grid points per day, the period of the daily cycle
 */
public record GeneratedStreams(List<GeneratedSeries> series, List<Label> labels, int stepsPerDay) {

    public GeneratedStreams {
        series = List.copyOf(series);
        labels = List.copyOf(labels);
    }

    public long totalRows() {
        return series.stream().mapToLong(GeneratedSeries::rows).sum();
    }
}
