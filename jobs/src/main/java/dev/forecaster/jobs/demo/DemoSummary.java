package dev.forecaster.jobs.demo;

import java.util.Locale;

/**
 * The figures a demo run ends with. {@code modelVersion} is the newest version of the served model in
 * the models topic when the demo ends: 1 (or the --model's) unless the trainer promoted one.
 */
public record DemoSummary(
        long eventsIn,
        long forecastsOut,
        long deadLetters,
        long alerts,
        long injectedBad,
        double modelMae,
        double persistenceMae,
        double wallSeconds,
        double streamSeconds,
        long peakRssMb,
        long peakHeapMb,
        long modelVersion) {

    /** One line; the README and the CI check read it. */
    public String line() {
        return String.format(Locale.ROOT,
                "summary: events_in=%d forecasts_out=%d dead_letters=%d alerts=%d mae_model=%.4f mae_persistence=%.4f "
                        + "wall_s=%.1f stream_s=%.1f events_per_s=%.0f peak_rss_mb=%d peak_heap_mb=%d injected_bad=%d model_version=%d",
                eventsIn, forecastsOut, deadLetters, alerts, modelMae, persistenceMae, wallSeconds, streamSeconds,
                streamSeconds > 0 ? eventsIn / streamSeconds : 0, peakRssMb, peakHeapMb, injectedBad, modelVersion);
    }
}
