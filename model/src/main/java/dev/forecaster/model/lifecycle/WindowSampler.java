package dev.forecaster.model.lifecycle;

import java.io.Serializable;

/**
 * Which keys' histories become training windows: a key whose history is full emits one every
 * {@code everyPoints} observations, and at most {@code cap} windows leave one operator subtask per
 * {@code intervalMillis} of processing time, so that a burst of many keys cannot flood the trainers
 * (the global cap is {@code cap} times the forecast parallelism). Windows over the cap are dropped:
 * the key offers another one {@code everyPoints} later.
 */
public final class WindowSampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int everyPoints;
    private final int cap;
    private final long intervalMillis;

    private long intervalStart = Long.MIN_VALUE;
    private int emittedInInterval;
    private long dropped;

    /** @param everyPoints 0 disables sampling */
    public WindowSampler(int everyPoints, int cap, long intervalMillis) {
        if (everyPoints < 0 || cap < 1 || intervalMillis < 1) {
            throw new IllegalArgumentException("need everyPoints >= 0, cap >= 1 and a positive interval");
        }
        this.everyPoints = everyPoints;
        this.cap = cap;
        this.intervalMillis = intervalMillis;
    }

    /**
     * @param observations the key's observations including the current one
     * @param historySize values the key's history holds
     * @param capacity the history's capacity
     */
    public boolean sample(long observations, int historySize, int capacity, long nowMillis) {
        if (everyPoints == 0 || historySize < capacity || observations % everyPoints != 0) {
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
