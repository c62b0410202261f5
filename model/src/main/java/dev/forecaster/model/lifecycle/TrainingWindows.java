package dev.forecaster.model.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.SeriesHistory;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.TrainingWindow;

/** Builds and reads {@link TrainingWindow}s. */
public final class TrainingWindows {

    private TrainingWindows() {}

    /** The window a key's history gives now. */
    public static TrainingWindow of(String seriesId, long endTime, SeriesHistory history, long modelVersion) {
        SeriesScaler start = history.startScaler();
        List<Double> values = new ArrayList<>(history.size());
        for (double v : history.values()) {
            values.add(v);
        }
        List<Long> times = new ArrayList<>(history.size());
        for (long t : history.times()) {
            times.add(t);
        }
        return TrainingWindow.newBuilder()
                .setSeriesId(seriesId)
                .setEndTime(Instant.ofEpochMilli(endTime))
                .setValues(values)
                .setTimes(times)
                .setStartCount(start.count())
                .setStartMean(start.mean())
                .setStartM2(start.m2())
                .setStartMemory(start.memory())
                .setModelVersion(modelVersion)
                .build();
    }

    /** {@link #cut(String, double[], int, int, long, int)} with lifetime statistics. */
    public static List<TrainingWindow> cut(String seriesId, double[] x, int length, int every, long stepMillis) {
        return cut(seriesId, x, length, every, stepMillis, SeriesScaler.LIFETIME);
    }

    /**
     * The windows a forecast operator would sample from one whole series served by a model with
     * scaling memory {@code memory}: the last {@code length} values every {@code every} points once
     * {@code length} points were seen (no cap), each with the statistics of the values before it.
     * Event time of point t is {@code t * stepMillis}.
     */
    public static List<TrainingWindow> cut(String seriesId, double[] x, int length, int every, long stepMillis,
            int memory) {
        List<TrainingWindow> out = new ArrayList<>();
        SeriesHistory history = new SeriesHistory(length, new SeriesScaler(memory));
        WindowSampler sampler = new WindowSampler(every, length, Integer.MAX_VALUE, 1);
        for (int t = 0; t < x.length; t++) {
            history.add(t * stepMillis, x[t]);
            if (sampler.sample(t + 1L, history.size(), length, 0)) {
                out.add(of(seriesId, t * stepMillis, history, 0));
            }
        }
        return out;
    }

    public static double[] values(TrainingWindow w) {
        return w.getValues().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The window's values with their times (none for a window cut before times were recorded) and
     * the statistics serving had before its first value, so that the gate replays it as serving
     * forecast it.
     *
     * @throws IllegalArgumentException when the statistics are not valid ones (a negative count or
     *     m2, or a memory of 1 or below 0), which only a window not written by a forecast job has
     */
    public static TimedValues timed(TrainingWindow w) {
        return new TimedValues(w.getTimes().stream().mapToLong(Long::longValue).toArray(), values(w), startScaler(w));
    }

    /**
     * Why a window cannot be trained on, replayed or scored, or {@code null} when it can: no
     * values, a value a series may not have ({@link SeriesScaler#accepts}), times that do not pair
     * with the values, or start statistics that are not valid ones. Forecast jobs only write usable
     * windows; this is for anything else that reaches the topic.
     */
    public static String problem(TrainingWindow w) {
        List<Double> values = w.getValues();
        if (values.isEmpty()) {
            return "no values";
        }
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (!SeriesScaler.accepts(v)) {
                return "value " + i + " is " + v;
            }
        }
        int times = w.getTimes().size();
        if (times != 0 && times != values.size()) {
            return times + " times for " + values.size() + " values";
        }
        try {
            startStatistics(w);
        } catch (IllegalArgumentException e) {
            return "invalid start statistics: " + e.getMessage();
        }
        return null;
    }

    /** The statistics of everything before the window's first value; see {@link #timed}. */
    public static SeriesScaler startScaler(TrainingWindow w) {
        try {
            return startStatistics(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Window of series " + w.getSeriesId() + " ending at " + w.getEndTime()
                    + " has invalid start statistics: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the statistic that is not valid */
    private static SeriesScaler startStatistics(TrainingWindow w) {
        return new SeriesScaler(w.getStartCount(), w.getStartMean(), w.getStartM2(), w.getStartMemory());
    }

    /**
     * Whether a window is held out for validation: one in {@code every} windows, chosen by a hash
     * of its series and end time, so the trainers and the gate agree without talking.
     */
    public static boolean heldOut(TrainingWindow w, int every) {
        long h = w.getSeriesId().hashCode() * 0x9E3779B97F4A7C15L + w.getEndTime().toEpochMilli();
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return Math.floorMod(h, every) == 0;
    }
}
