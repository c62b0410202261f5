package dev.forecaster.model.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.forecaster.model.quality.Label;

/**
 * Seeded, labelled multi-key streams: a seasonal base per key (synthetic, or a real series), with
 * anomalies of the key's type injected at random places after a quiet start, then data problems
 * (gaps, duplicate timestamps, backward steps) applied to the rows. The same options and seed give
 * the same streams, bit for bit.
 *
 * <p>Anomalies are spread one per equal slot of the series, each at least a day away from the
 * next, so that the detector has settled between them and a detection belongs to one window. Data
 * problems stay clear of anomaly windows (from three points before to a day after), so that a
 * detection near one is a false alert, not a hit.
 *
 * <p>Values are rounded to six decimals, as they are written, so that a run on the generated
 * files sees exactly the values a run in memory sees.
 */
public final class StreamGenerator {

    private static final long DAY_MILLIS = 86_400_000L;
    /** Anomalies per series by default: one per this many days after the quiet start. */
    private static final int DAYS_PER_ANOMALY = 10;
    /** Data problems of each kind per series by default: one per this many points. */
    private static final int POINTS_PER_PROBLEM = 800;
    /** Smallest distance between two data problems' spans, in grid points. */
    private static final int PROBLEM_SPACING = 3;

    private StreamGenerator() {}

    /** Streams on synthetic seasonal bases, {@code options.points()} per key. */
    public static GeneratedStreams synthetic(GeneratorOptions options) {
        if (options.points() < 1) {
            throw new IllegalArgumentException("points must be at least 1 for synthetic series");
        }
        long step = options.step().toMillis();
        int stepsPerDay = (int) (DAY_MILLIS / step);
        long start = options.start().toEpochMilli();
        long[] grid = new long[options.points()];
        for (int t = 0; t < grid.length; t++) {
            grid[t] = start + t * step;
        }
        SplittableRandom root = new SplittableRandom(options.seed());
        List<GeneratedSeries> series = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int k = 0; k < options.keys(); k++) {
            SplittableRandom keyRandom = root.split();
            SeasonalBase base = SeasonalBase.random(keyRandom.split());
            double[] clean = base.values(grid.length, start, step, keyRandom.split());
            String key = String.format(Locale.ROOT, "key-%02d-%s", k, options.typeOf(k).label());
            build(key, options.typeOf(k), grid, clean, stepsPerDay, options, keyRandom, series, labels);
        }
        return new GeneratedStreams(series, labels, stepsPerDay);
    }

    /**
     * Streams that are copies of a real series, each with its own anomalies and data problems.
     * Uses the base's first {@code options.points()} rows (all when 0); its own times are kept.
     */
    public static GeneratedStreams onBase(BaseSeries base, GeneratorOptions options) {
        int n = options.points() == 0 ? base.values().length : Math.min(options.points(), base.values().length);
        long step = base.stepMillis();
        if (step <= 0 || DAY_MILLIS % step != 0) {
            throw new IllegalArgumentException("the base series' interval (" + step + " ms) must divide a day");
        }
        long[] grid = Arrays.copyOf(base.epochMillis(), n);
        for (int t = 1; t < n; t++) {
            if (grid[t] - grid[t - 1] != step) {
                throw new IllegalArgumentException("the base series must be regular: rows " + t + " and " + (t + 1)
                        + " are not " + step / 1000 + " s apart");
            }
        }
        double[] clean = Arrays.copyOf(base.values(), n);
        SplittableRandom root = new SplittableRandom(options.seed());
        List<GeneratedSeries> series = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int k = 0; k < options.keys(); k++) {
            SplittableRandom keyRandom = root.split();
            String key = String.format(Locale.ROOT, "%s-%02d-%s", base.name(), k, options.typeOf(k).label());
            build(key, options.typeOf(k), grid, clean, (int) (DAY_MILLIS / step), options, keyRandom, series, labels);
        }
        return new GeneratedStreams(series, labels, (int) (DAY_MILLIS / step));
    }

    private static void build(String key, AnomalyType type, long[] grid, double[] clean, int stepsPerDay,
            GeneratorOptions options, SplittableRandom keyRandom, List<GeneratedSeries> series, List<Label> labels) {
        SplittableRandom anomalyRandom = keyRandom.split();
        SplittableRandom problemRandom = keyRandom.split();
        int n = grid.length;
        AnomalyInjector injector = new AnomalyInjector(stepsPerDay);
        double scale = AnomalyInjector.noiseScale(clean);
        double[] x = clean.clone();

        int quiet = Math.max(injector.minStart(), (int) Math.round(options.quietFraction() * n));
        int end = n - stepsPerDay;
        int available = end - quiet;
        int count = options.anomaliesPerKey() > 0 ? options.anomaliesPerKey()
                : Math.max(1, available / (DAYS_PER_ANOMALY * stepsPerDay));
        int slot = available / count;
        int minSlot = injector.maxLength() + 2 * stepsPerDay;
        if (available <= 0 || slot < minSlot) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d points are too few for %d anomalies per key: each needs %d points (%d days) after a quiet start of %d",
                    n, count, minSlot, minSlot / stepsPerDay, quiet));
        }
        List<AnomalyInjector.Injection> injections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int slotStart = quiet + i * slot;
            int at = slotStart + stepsPerDay / 2 + anomalyRandom.nextInt(slot - injector.maxLength() - stepsPerDay + 1);
            injections.add(injector.inject(type, x, clean, at, scale, anomalyRandom));
        }
        for (int t = 0; t < n; t++) {
            x[t] = Math.rint(x[t] * 1e6) / 1e6;
        }

        int perKind = options.problemsPerKind() >= 0 ? options.problemsPerKind() : Math.max(1, n / POINTS_PER_PROBLEM);
        Problems problems = placeProblems(n, perKind, stepsPerDay, injections, problemRandom);

        List<Long> times = new ArrayList<>(n + perKind);
        List<Double> values = new ArrayList<>(n + perKind);
        List<Integer> slots = new ArrayList<>(n + perKind);
        int[] gridRow = new int[n];
        Arrays.fill(gridRow, -1);
        List<Label> keyLabels = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            if (problems.gap[g] > 0) {
                int len = problems.gap[g];
                keyLabels.add(new Label(key, DataProblem.GAP.label(), Label.Category.DATA_PROBLEM, times.size(),
                        times.size(), grid[g], grid[g + len - 1], len));
                g += len - 1;
                continue;
            }
            if (problems.swap[g]) {
                // Row g arrives one step late, after g + 1: its timestamp steps back one step.
                gridRow[g + 1] = add(times, values, slots, grid[g + 1], x[g + 1], g);
                gridRow[g] = add(times, values, slots, grid[g], x[g], g + 1);
                keyLabels.add(new Label(key, DataProblem.BACKWARD_STEP.label(), Label.Category.DATA_PROBLEM,
                        gridRow[g], gridRow[g], grid[g], grid[g], 1));
                g++;
                continue;
            }
            gridRow[g] = add(times, values, slots, grid[g], x[g], g);
            if (problems.duplicate[g]) {
                // Half are redeliveries of the same value, half re-readings that differ by noise.
                double again = problemRandom.nextBoolean() ? x[g]
                        : Math.rint((x[g] + scale * problemRandom.nextGaussian()) * 1e6) / 1e6;
                int row = add(times, values, slots, grid[g], again, g);
                keyLabels.add(new Label(key, DataProblem.DUPLICATE_TIMESTAMP.label(), Label.Category.DATA_PROBLEM,
                        row, row, grid[g], grid[g], Math.abs(again - x[g]) / scale));
            }
        }
        for (AnomalyInjector.Injection in : injections) {
            keyLabels.add(new Label(key, type.label(), Label.Category.ANOMALY, gridRow[in.start()], gridRow[in.end()],
                    grid[in.start()], grid[in.end()], in.magnitude()));
        }
        keyLabels.sort(Comparator.comparingInt(Label::startRow));
        labels.addAll(keyLabels);
        series.add(new GeneratedSeries(key, type, times.stream().mapToLong(Long::longValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray(),
                slots.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static int add(List<Long> times, List<Double> values, List<Integer> slots, long time, double value, int slot) {
        times.add(time);
        values.add(value);
        slots.add(slot);
        return times.size() - 1;
    }

    /** Per grid point: length of a gap starting there, a swap with the next point, a duplicate after it. */
    private record Problems(int[] gap, boolean[] swap, boolean[] duplicate) {}

    private static Problems placeProblems(int n, int perKind, int stepsPerDay, List<AnomalyInjector.Injection> anomalies,
            SplittableRandom r) {
        boolean[] blocked = new boolean[n];
        for (AnomalyInjector.Injection a : anomalies) {
            // Clear of the window, and of the day after it, in which the detector may still react.
            block(blocked, a.start() - PROBLEM_SPACING, a.end() + stepsPerDay);
        }
        block(blocked, 0, 1);
        block(blocked, n - 3, n - 1);
        Problems p = new Problems(new int[n], new boolean[n], new boolean[n]);
        int maxGap = Math.max(1, stepsPerDay / 4);
        for (DataProblem kind : DataProblem.values()) {
            for (int i = 0; i < perKind; i++) {
                int len = switch (kind) {
                    case GAP -> 1 + r.nextInt(maxGap);
                    case BACKWARD_STEP -> 2;
                    case DUPLICATE_TIMESTAMP -> 1;
                };
                // A gap's span includes the row after it, which carries the label.
                int span = kind == DataProblem.GAP ? len + 1 : len;
                int g = -1;
                for (int attempt = 0; attempt < 10_000 && g < 0; attempt++) {
                    int c = r.nextInt(n);
                    if (c + span <= n && free(blocked, c, c + span - 1)) {
                        g = c;
                    }
                }
                if (g < 0) {
                    throw new IllegalArgumentException("no room for " + perKind + " data problems of each kind in " + n
                            + " points; ask for fewer");
                }
                switch (kind) {
                    case GAP -> p.gap[g] = len;
                    case BACKWARD_STEP -> p.swap[g] = true;
                    case DUPLICATE_TIMESTAMP -> p.duplicate[g] = true;
                    default -> throw new AssertionError(kind);
                }
                block(blocked, g - PROBLEM_SPACING, g + span - 1 + PROBLEM_SPACING);
            }
        }
        return p;
    }

    private static void block(boolean[] blocked, int from, int to) {
        for (int i = Math.max(0, from); i <= Math.min(blocked.length - 1, to); i++) {
            blocked[i] = true;
        }
    }

    private static boolean free(boolean[] blocked, int from, int to) {
        for (int i = from; i <= to; i++) {
            if (blocked[i]) {
                return false;
            }
        }
        return true;
    }
}
