package dev.forecaster.jobs.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.forecaster.model.eval.TimeSeries;
import dev.forecaster.model.quality.Timestamps;
import dev.forecaster.model.synth.AnomalyType;
import dev.forecaster.model.synth.BaseSeries;
import dev.forecaster.model.synth.GeneratedStreams;
import dev.forecaster.model.synth.GeneratorOptions;
import dev.forecaster.model.synth.StreamGenerator;

/**
 * Options of the stream generator, shared by {@code generate} and {@code alert-quality}: the CLI
 * only turns them into {@link GeneratorOptions}; the generator itself is {@link StreamGenerator}.
 */
public final class StreamOptions {

    private static final Pattern STEP = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");

    @Option(names = "--keys", defaultValue = "14", description = "Series to generate; key k carries anomalies of one type, the types taken in turn (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--points", description = "Points per series before data problems (default: 4000; with --base all its rows).")
    Integer points;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of everything generated (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--step", description = "Interval of synthetic series: 30s, 5m, 15m, 1h, 1d or ISO-8601 (default: 1h); must divide a day.")
    String step;

    @Option(names = "--start", description = "Time of the first synthetic point, UTC, 'yyyy-MM-dd HH:mm:ss' (default: 2024-01-01 00:00:00).")
    String start;

    @Option(names = "--types", split = ",", paramLabel = "TYPE", description = "Anomaly types to inject (default: all): spike, dip, level_shift, trend_change, variance_change, flat_line, seasonal_break.")
    List<String> types;

    @Option(names = "--anomalies-per-key", defaultValue = "0", description = "Anomalies per series; 0 = one per ten days after the quiet start (default: ${DEFAULT-VALUE}).")
    int anomaliesPerKey;

    @Option(names = "--problems-per-kind", defaultValue = "-1", description = "Gaps, duplicate timestamps and backward steps per series, each; -1 = one per 800 points, 0 = none (default: ${DEFAULT-VALUE}).")
    int problemsPerKind;

    @Option(names = "--quiet-fraction", defaultValue = "0.15", description = "Leading share of each series without anomalies (default: ${DEFAULT-VALUE}).")
    double quietFraction;

    @Option(names = "--base", paramLabel = "FILE.csv", description = "Inject into this real series instead of synthetic ones (e.g. ETTh1.csv); each key is a copy of it with its own anomalies.")
    Path base;

    @Option(names = "--column", defaultValue = "OT", description = "Column of --base (default: ${DEFAULT-VALUE}).")
    String column;

    @Option(names = "--time-column", description = "Time column of --base, or DATE+TIME for a date and a time-of-day column (default: as evaluate finds it: the first column named date, timestamp, datetime or time, in any case).")
    String timeColumn;

    /** @throws IllegalArgumentException with a one-line message for impossible settings or an unreadable --base */
    GeneratedStreams generate() {
        List<AnomalyType> chosen = new ArrayList<>();
        for (String t : types == null ? List.<String>of() : types) {
            chosen.add(AnomalyType.parse(t));
        }
        if (chosen.isEmpty()) {
            chosen = List.of(AnomalyType.values());
        }
        if (base != null) {
            if (step != null || start != null) {
                throw new IllegalArgumentException("--step and --start are for synthetic series; --base keeps its own times");
            }
            if (points != null && points < 1) {
                throw new IllegalArgumentException("--points must be at least 1, was " + points);
            }
            GeneratorOptions options = new GeneratorOptions(keys, points == null ? 0 : points, seed,
                    GeneratorOptions.DEFAULT_START, Duration.ofHours(1), chosen, anomaliesPerKey, problemsPerKind,
                    quietFraction);
            return StreamGenerator.onBase(readBase(), options);
        }
        GeneratorOptions options = new GeneratorOptions(keys, points == null ? 4000 : points, seed, startTime(),
                step == null ? Duration.ofHours(1) : parseStep(step), chosen, anomaliesPerKey, problemsPerKind,
                quietFraction);
        return StreamGenerator.synthetic(options);
    }

    private BaseSeries readBase() {
        if (!Files.isRegularFile(base) || !Files.isReadable(base)) {
            throw new IllegalArgumentException("cannot read --base file " + base);
        }
        TimeSeries series;
        try {
            String time = timeColumn != null ? timeColumn : TimeSeries.defaultTimeColumn(base);
            series = TimeSeries.readCsv(base, time, column);
        } catch (IOException e) {
            // A malformed file is the caller's to fix, like a wrong option.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long[] millis = new long[series.length()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = series.epochSeconds()[i] * 1000;
        }
        String stem = base.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = (stem + "-" + column).replaceAll("[^A-Za-z0-9._-]", "_");
        return new BaseSeries(name, millis, series.values());
    }

    private Instant startTime() {
        if (start == null) {
            return GeneratorOptions.DEFAULT_START;
        }
        try {
            return Instant.ofEpochMilli(Timestamps.parse(start));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--start must look like 2024-01-01 00:00:00, was '" + start + "'");
        }
    }

    static Duration parseStep(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = STEP.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--step must look like 30s, 15m, 1h or PT1H, was '" + text + "'");
        }
    }
}
