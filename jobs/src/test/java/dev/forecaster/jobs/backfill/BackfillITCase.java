package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import dev.forecaster.jobs.cli.ForecasterCli;

/**
 * The evaluation contract of {@code forecaster backfill}, called exactly as external benchmarks
 * call it, on a series with injected anomalies and data problems.
 */
class BackfillITCase {

    private static final int ROWS = 1600;
    private static final int[] SPIKES = {700, 1000};
    private static final int LEVEL_SHIFT = 1300;
    private static final int NAN_ROW = 600;
    private static final int GARBAGE_ROW = 601;
    private static final int DUPLICATE_ROW = 800;
    private static final int BACKWARD_ROW = 900;
    private static final int PREFIX = 1100;

    @TempDir static Path dir;

    private static List<String> input;
    private static List<String> output;
    private static String stderr;

    /** Five-minute readings with a daily cycle and noise, plus the problems the contract names. */
    static List<String> series() {
        SplittableRandom random = new SplittableRandom(11);
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime t = LocalDateTime.of(2014, 4, 10, 0, 2);
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,value");
        for (int i = 0; i < ROWS; i++) {
            double v = 50 + 10 * Math.sin(2 * Math.PI * i / 288) + 1.5 * random.nextGaussian();
            if (i >= LEVEL_SHIFT) {
                v += 25;
            }
            for (int spike : SPIKES) {
                if (i == spike) {
                    v += 20;
                }
            }
            LocalDateTime stamp = t;
            if (i == DUPLICATE_ROW) {
                stamp = t.minusMinutes(5); // the previous row's timestamp again
            } else if (i == BACKWARD_ROW) {
                stamp = t.minusMinutes(12);
            }
            String value = String.format(Locale.ROOT, "%.3f", v);
            if (i == NAN_ROW) {
                value = "NaN";
            }
            String ts = i == GARBAGE_ROW ? "not-a-time" : stamp.format(format);
            lines.add(ts + "," + value);
            // Gaps: an hour missing now and then.
            t = t.plusMinutes(i % 400 == 399 ? 65 : 5);
        }
        return lines;
    }

    static Run backfill(Path in, Path out, String... extra) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            List<String> args = new ArrayList<>(List.of("backfill", "--input", in.toString(), "--output", out.toString()));
            args.addAll(Arrays.asList(extra));
            code = ForecasterCli.execute(args.toArray(new String[0]));
        } finally {
            System.setErr(original);
        }
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    record Run(int code, String stderr) {}

    @BeforeAll
    static void runOnTheWholeSeries() throws IOException {
        input = series();
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        Files.write(in, input);
        Run run = backfill(in, out, "--report", dir.resolve("report.html").toString());
        assertEquals(0, run.code(), run.stderr());
        stderr = run.stderr();
        output = Files.readAllLines(out);
    }

    @Test
    void theReportDrawsTheSeriesWithItsAlertsAndErrors() throws IOException {
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg class=\"series\" data-series=\"series\""), "the series chart");
        assertTrue(html.contains("<tr><td>series</td><td>" + (input.size() - 1) + "</td>"),
                "the summary row counts every input row (the header is not one)");
        assertTrue(html.contains("class=\"alert "), "the injected spikes raise alerts, marked on the chart");
        assertTrue(html.contains("<svg class=\"mae\""), "error by horizon step");
    }

    private static double score(int row) {
        String line = output.get(row + 1);
        return Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
    }

    @Test
    void oneRowPerInputRowInInputOrderEchoingTheInput() {
        assertEquals("timestamp,value,anomaly_score", output.get(0));
        assertEquals(input.size(), output.size());
        for (int i = 1; i < input.size(); i++) {
            String line = output.get(i);
            assertEquals(input.get(i), line.substring(0, line.lastIndexOf(',')), "row " + (i - 1));
        }
    }

    @Test
    void scoresLieInTheUnitIntervalAndBadRowsScoreZero() {
        for (int i = 0; i < ROWS; i++) {
            double s = score(i);
            assertTrue(s >= 0 && s <= 1, "row " + i + " scored " + s);
        }
        assertEquals(0.0, score(NAN_ROW));
        assertEquals(0.0, score(GARBAGE_ROW));
        assertTrue(stderr.contains("bad_rows=2"), stderr);
    }

    @Test
    void injectedAnomaliesOutscoreTheCleanPoints() {
        Set<Integer> injected = new HashSet<>();
        for (int event : new int[] {SPIKES[0], SPIKES[1], LEVEL_SHIFT}) {
            // The anomaly, and the window after it that the likelihood still remembers.
            for (int i = event - 1; i <= event + 15; i++) {
                injected.add(i);
            }
        }
        double[] clean = java.util.stream.IntStream.range(450, ROWS)
                .filter(i -> !injected.contains(i))
                .mapToDouble(BackfillITCase::score).sorted().toArray();
        double p95 = clean[(int) Math.round(0.95 * (clean.length - 1))];
        for (int event : new int[] {SPIKES[0], SPIKES[1], LEVEL_SHIFT}) {
            assertTrue(score(event) > p95, "row " + event + " scored " + score(event) + ", clean p95 " + p95);
        }
        assertTrue(score(LEVEL_SHIFT) > clean[clean.length - 1] || score(SPIKES[0]) > clean[clean.length - 1],
                "an injected anomaly tops every clean point");
    }

    /** Also writes the alerts here, which must leave the scores output as it is. */
    @Test
    void aPrefixOfTheInputGetsTheSameScores() throws IOException {
        Path in = dir.resolve("prefix.csv");
        Path out = dir.resolve("prefix-out.csv");
        Path alerts = dir.resolve("prefix-alerts.csv");
        Files.write(in, input.subList(0, PREFIX + 1));
        Run run = backfill(in, out, "--alerts-out", alerts.toString());
        assertEquals(0, run.code(), run.stderr());
        List<String> prefix = Files.readAllLines(out);
        assertEquals(PREFIX + 1, prefix.size());
        assertEquals(output.subList(0, PREFIX + 1), prefix);
        checkAlerts(Files.readAllLines(alerts), run.stderr());
    }

    /**
     * With calendar features the keys' own models read each row's time: the run completes with one
     * row per input row, the scores before the first training (persistence) are unchanged and the
     * later ones differ, because the model sees more than the values.
     */
    @Test
    void calendarFeaturesReachTheKeysModels() throws IOException {
        Path in = dir.resolve("calendar.csv");
        Path out = dir.resolve("calendar-out.csv");
        Files.write(in, input);
        Run run = backfill(in, out, "--calendar", "hour_of_day,day_of_week", "--calendar-zone", "Europe/Berlin");
        assertEquals(0, run.code(), run.stderr());
        List<String> calendar = Files.readAllLines(out);
        assertEquals(output.size(), calendar.size());
        int warmup = 400;
        assertEquals(output.subList(0, warmup + 1), calendar.subList(0, warmup + 1));
        long differing = java.util.stream.IntStream.range(warmup + 2, output.size())
                .filter(i -> !output.get(i).equals(calendar.get(i))).count();
        assertTrue(differing > (output.size() - warmup) / 2, differing + " rows differ");
    }

    /** The spikes in the prefix raise alerts at their rows, and every line is what the contract says. */
    private static void checkAlerts(List<String> lines, String stderr) {
        assertEquals("row_index,timestamp,series,severity,observed,expected,lower,upper,score,likelihood,reason",
                lines.get(0));
        assertTrue(stderr.contains(" alerts=" + (lines.size() - 1)), stderr);
        Set<Integer> rows = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 11);
            int row = Integer.parseInt(f[0]);
            rows.add(row);
            assertEquals(input.get(row + 1).split(",")[0], f[1], "timestamp echoed: " + line);
            assertEquals("series", f[2]);
            assertTrue(f[3].equals("WARNING") || f[3].equals("CRITICAL"), line);
            assertEquals(Double.parseDouble(input.get(row + 1).split(",")[1]), Double.parseDouble(f[4]), 1e-9, line);
            double expected = Double.parseDouble(f[5]);
            assertTrue(Double.parseDouble(f[6]) < expected && expected < Double.parseDouble(f[7]), line);
            assertTrue(Double.parseDouble(f[8]) > 0, line);
            assertEquals(output.get(row + 1).substring(output.get(row + 1).lastIndexOf(',') + 1), f[9],
                    "the alert's likelihood is the row's anomaly score: " + line);
            assertTrue(f[10].startsWith("\"") && f[10].endsWith("\""), line);
        }
        for (int spike : SPIKES) {
            assertTrue(rows.contains(spike), "spike at row " + spike + " alerted: " + lines);
        }
    }

    @Test
    void forecastsOutIsTheLongFormatUpToTheHorizonOrTheEndOfTheFile() throws IOException {
        // Fewer rows than the warm-up, so the forecasts are persistence and known exactly.
        List<String> lines = input.subList(0, 31);
        Path in = dir.resolve("short.csv");
        Files.write(in, lines);
        Path forecasts = dir.resolve("forecasts.csv");
        Run run = backfill(in, dir.resolve("short-out.csv"), "--forecasts-out", forecasts.toString(), "--horizon", "3");
        assertEquals(0, run.code(), run.stderr());
        List<String> expected = new ArrayList<>();
        expected.add("origin_index,horizon_step,prediction");
        int n = lines.size() - 1;
        for (int i = 0; i < n; i++) {
            double value = Double.parseDouble(lines.get(i + 1).split(",")[1]);
            for (int k = 1; k <= Math.min(3, n - 1 - i); k++) {
                expected.add(i + "," + k + "," + value);
            }
        }
        assertEquals(expected, Files.readAllLines(forecasts));
    }
}
