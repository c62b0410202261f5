package dev.forecaster.model.series;

import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.scaling.SeriesScaler;

/**
 * The last {@code capacity} values of a series, plus the normalisation statistics of every value
 * that has dropped out of it. Training on the history then normalises exactly as serving did at
 * each of those points: it starts from {@link #startScaler()} and walks the same values in the
 * same order, reaching bit-for-bit the key's current statistics.
 */
public final class SeriesHistory {

    private final double[] ring;
    private long added;
    private final SeriesScaler evicted;

    public SeriesHistory(int capacity, SeriesScaler before) {
        this(new double[capacity], 0L, before);
    }

    /** Restores a history; {@code added} counts every value ever added. */
    public SeriesHistory(double[] ring, long added, SeriesScaler evicted) {
        if (ring.length == 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        this.ring = ring;
        this.added = added;
        this.evicted = Objects.requireNonNull(evicted, "evicted");
    }

    public void add(double value) {
        int slot = (int) (added % ring.length);
        if (added >= ring.length) {
            evicted.update(ring[slot]);
        }
        ring[slot] = value;
        added++;
    }

    public int capacity() {
        return ring.length;
    }

    public long added() {
        return added;
    }

    public int size() {
        return (int) Math.min(added, ring.length);
    }

    /** The held values, oldest first. */
    public double[] values() {
        int n = size();
        double[] out = new double[n];
        int first = (int) ((added - n) % ring.length);
        for (int i = 0; i < n; i++) {
            out[i] = ring[(first + i) % ring.length];
        }
        return out;
    }

    /** Statistics of everything before the oldest held value (a copy). */
    public SeriesScaler startScaler() {
        return evicted.copy();
    }

    /** The raw ring, for serializers. */
    public double[] ring() {
        return ring;
    }

    public SeriesHistory copy() {
        return new SeriesHistory(ring.clone(), added, evicted.copy());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesHistory h && added == h.added && evicted.equals(h.evicted)
                && Arrays.equals(ring, h.ring);
    }

    @Override
    public int hashCode() {
        return Objects.hash(added, evicted) + 31 * Arrays.hashCode(ring);
    }
}
