package dev.forecaster.jobs.forecast;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A fixed-size {@code List<Double>} view over a {@code double[]}, for Avro array fields. */
final class Doubles extends AbstractList<Double> implements RandomAccess {

    private final double[] values;

    private Doubles(double[] values) {
        this.values = values;
    }

    static List<Double> asList(double[] values) {
        return new Doubles(values);
    }

    @Override
    public Double get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
