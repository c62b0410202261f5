package dev.forecaster.model.series;

import java.util.Arrays;
import java.util.Objects;

import dev.forecaster.model.scaling.SeriesScaler;

/**
 * The last {@code capacity} values of a series with their event times, plus the normalisation
 * statistics of every value that has dropped out of it. Training on the history then normalises
 * exactly as serving did at each of those points: it starts from {@link #startScaler()} and walks
 * the same values in the same order, reaching bit-for-bit the key's current statistics. The times
 * let models with calendar features see the same inputs on replay and in training as they did live.
 */
public final class SeriesHistory {

    private final double[] ring;
    private final long[] timeRing;
    private long added;
    private final SeriesScaler evicted;

    public SeriesHistory(int capacity, SeriesScaler before) {
        this(new double[capacity], new long[capacity], 0L, before);
    }

    /** Restores a history; {@code added} counts every value ever added. */
    public SeriesHistory(double[] ring, long[] timeRing, long added, SeriesScaler evicted) {
        if (ring.length == 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        if (timeRing.length != ring.length) {
            throw new IllegalArgumentException(timeRing.length + " times for " + ring.length + " values");
        }
        this.ring = ring;
        this.timeRing = timeRing;
        this.added = added;
        this.evicted = Objects.requireNonNull(evicted, "evicted");
    }

    public void add(long eventTime, double value) {
        int slot = (int) (added % ring.length);
        if (added >= ring.length) {
            evicted.update(ring[slot]);
        }
        ring[slot] = value;
        timeRing[slot] = eventTime;
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

    /** The event times of {@link #values()}, oldest first. */
    public long[] times() {
        int n = size();
        long[] out = new long[n];
        int first = (int) ((added - n) % ring.length);
        for (int i = 0; i < n; i++) {
            out[i] = timeRing[(first + i) % ring.length];
        }
        return out;
    }

    /**
     * Carries the statistics of everything before the oldest held value on with {@code memory}
     * ({@link SeriesScaler#useMemory}), for a model with that memory; replaying the held values
     * from them then gives the statistics that model's training computes.
     */
    public void useScalingMemory(int memory) {
        evicted.useMemory(memory);
    }

    /**
     * The statistics of everything up to the newest held value: {@link #startScaler()} walked over
     * {@link #values()}. Bit for bit the key's current statistics while their memory is the same.
     */
    public SeriesScaler currentScaler() {
        SeriesScaler scaler = startScaler();
        for (double v : values()) {
            scaler.update(v);
        }
        return scaler;
    }

    /** Statistics of everything before the oldest held value (a copy). */
    public SeriesScaler startScaler() {
        return evicted.copy();
    }

    /** The raw value ring, for serializers. */
    public double[] ring() {
        return ring;
    }

    /** The raw time ring, for serializers. */
    public long[] timeRing() {
        return timeRing;
    }

    public SeriesHistory copy() {
        return new SeriesHistory(ring.clone(), timeRing.clone(), added, evicted.copy());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesHistory h && added == h.added && evicted.equals(h.evicted)
                && Arrays.equals(ring, h.ring) && Arrays.equals(timeRing, h.timeRing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(added, evicted) + 31 * Arrays.hashCode(ring) + 17 * Arrays.hashCode(timeRing);
    }
}
