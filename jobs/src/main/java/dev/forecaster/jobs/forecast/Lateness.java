package dev.forecaster.jobs.forecast;

/**
 * Decides whether an observation arrived too late to be used.
 *
 * <p>Lateness is measured against the series' own progress in event time, not against the
 * watermark. The model advances each key in arrival order, so what makes an observation unusable is
 * that its series has already moved far past it. The watermark is the minimum over all source
 * partitions and depends on how fast each one is read: with idleness detection, a partition that
 * is slow to be read (a busy machine, a restore replaying a backlog) can find the watermark already
 * moved ahead by the others, and its perfectly ordered events would be dropped. Measured per key, the
 * decision depends only on the key's own events, in the order the partition delivers them, so it
 * is the same on every run and after every recovery.
 */
public final class Lateness {

    private Lateness() {}

    /**
     * An event is late when its time lies more than the allowed lateness behind the latest event
     * time its series has seen. Events merely out of order within that bound are still used, in
     * arrival order.
     *
     * @param latestEventTime the series' latest event time so far, {@link Long#MIN_VALUE} before its first
     */
    public static boolean isLate(long eventTime, long latestEventTime, long allowedLatenessMillis) {
        if (latestEventTime == Long.MIN_VALUE) {
            return false;
        }
        return eventTime < latestEventTime - allowedLatenessMillis;
    }
}
