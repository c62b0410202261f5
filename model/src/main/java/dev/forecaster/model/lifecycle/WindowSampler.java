package dev.forecaster.model.lifecycle;

import java.io.Serializable;

/**
 * Which keys' histories become training windows: a key whose history holds at least {@code
 * minPoints} values (or is full, if that is fewer) emits one every {@code everyPoints}
 * observations, and at most {@code cap} windows leave one operator subtask per
 * {@code intervalMillis} of processing time, so that a burst of many keys cannot flood the trainers
 * (the global cap is {@code cap} times the forecast parallelism). Windows over the cap are dropped:
 * the key offers another one {@code everyPoints} later.
 *
 * <p>Sampling before the history is full lets new keys contribute while they are young; the
 * trainer masks the part of a window that a short history cannot fill.
 */
public final class WindowSampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int everyPoints;
    private final int minPoints;
    private final int cap;
    private final long intervalMillis;

    private long intervalStart = Long.MIN_VALUE;
    private int emittedInInterval;
    private long dropped;

    /**
     * @param everyPoints 0 disables sampling
     * @param minPoints values a history needs before it is sampled; histories that are full are
     *     sampled whatever their capacity
     */
    public WindowSampler(int everyPoints, int minPoints, int cap, long intervalMillis) {
        if (everyPoints < 0 || minPoints < 1 || cap < 1 || intervalMillis < 1) {
            throw new IllegalArgumentException(
                    "need everyPoints >= 0, minPoints >= 1, cap >= 1 and a positive interval");
        }
        this.everyPoints = everyPoints;
        this.minPoints = minPoints;
        this.cap = cap;
        this.intervalMillis = intervalMillis;
    }

    /**
     * @param observations the key's observations including the current one
     * @param historySize values the key's history holds
     * @param capacity the history's capacity
     */
    public boolean sample(long observations, int historySize, int capacity, long nowMillis) {
        if (everyPoints == 0 || historySize < Math.min(minPoints, capacity)
                || observations % everyPoints != 0) {
            return false;
        }
        if (intervalStart == Long.MIN_VALUE || nowMillis - intervalStart >= intervalMillis) {
            intervalStart = nowMillis;
            emittedInInterval = 0;
        }
        if (emittedInInterval >= cap) {
            dropped++;
            return false;
        }
        emittedInInterval++;
        return true;
    }

    /** Windows that were due but over the cap. */
    public long dropped() {
        return dropped;
    }
}
