package dev.forecaster.jobs.demo;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import dev.forecaster.schema.Observation;

/** Interleaves series row by row: row r yields one observation per key before row r+1 starts. */
final class RoundRobin implements Iterator<Observation> {

    /** The event time and value of one key at one row. */
    interface Cell {
        long time(long row);

        double value(int key, long row);
    }

    private final List<String> keys;
    private final Cell cell;
    private final long endRow;
    private long row;
    private int key;

    RoundRobin(List<String> keys, long firstRow, long endRow, Cell cell) {
        this.keys = keys;
        this.row = firstRow;
        this.endRow = endRow;
        this.cell = cell;
    }

    @Override
    public boolean hasNext() {
        return row < endRow;
    }

    @Override
    public Observation next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Observation obs = Observation.newBuilder()
                .setSeriesId(keys.get(key))
                .setEventTime(Instant.ofEpochMilli(cell.time(row)))
                .setValue(cell.value(key, row))
                .setFeatures(null)
                .build();
        if (++key == keys.size()) {
            key = 0;
            row++;
        }
        return obs;
    }
}
