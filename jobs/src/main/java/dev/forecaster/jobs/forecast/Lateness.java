package dev.forecaster.jobs.forecast;

/** Decides whether an observation arrived too late to be used. */
public final class Lateness {

    private Lateness() {}

    /**
     * An event is late when its time lies more than the allowed lateness behind the watermark.
     * Events merely out of order within that bound are still used, in arrival order.
     */
    public static boolean isLate(long eventTime, long watermark, long allowedLatenessMillis) {
        if (watermark == Long.MIN_VALUE) {
            return false;
        }
        return eventTime < watermark - allowedLatenessMillis;
    }
}
