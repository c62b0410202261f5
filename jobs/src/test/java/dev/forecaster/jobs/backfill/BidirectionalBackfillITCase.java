package dev.forecaster.jobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code backfill --bidirectional} end to end through the CLI and a real MiniCluster: the output
 * contract of the causal backfill (one row per input row, in order, text echoed, bad rows 0), the
 * NON-CAUSAL marking, determinism, and per-key independence on a shuffled multi-key file.
 */
class BidirectionalBackfillITCase {

    /** Small, so the whole class runs in seconds of training. */
    private static final String[] SMALL = {"--bidirectional", "--bidi-hidden", "6", "--bidi-iterations", "30",
        "--bidi-window", "32"};

    @TempDir
    Path dir;

    private static List<String> series(int n, int spikeAt, double level, long seed) {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double v = level + 3 * Math.sin(2 * Math.PI * t / 24) + 0.3 * r.nextGaussian() + (t == spikeAt ? 6 : 0);
            lines.add(String.format(Locale.ROOT, "2024-01-%02d %02d:00:00,%.4f", 1 + t / 24, t % 24, v));
        }
        return lines;
    }

    private static String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of(SMALL));
        all.addAll(List.of(extra));
        return all.toArray(new String[0]);
    }

    @Test
    void scoresEveryRowNonCausallyAndDeterministically() throws IOException {
        List<String> rows = series(240, 150, 20, 1);
        rows.set(60, "2024-01-03 12:00:00,not-a-number");
        Path in = dir.resolve("in.csv");
        Files.write(in, concat("timestamp,value", rows));
        Path out = dir.resolve("out.csv");
        BackfillITCase.Run run = BackfillITCase.backfill(in, out, args());
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stderr().contains("causal=false"), run.stderr());
        assertTrue(run.stderr().contains("bad_rows=1 trainings=1"), run.stderr());

        List<String> lines = Files.readAllLines(out);
        assertEquals("timestamp,value,anomaly_score", lines.get(0));
        assertEquals(rows.size() + 1, lines.size());
        double[] scores = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String line = lines.get(i + 1);
            int cut = line.lastIndexOf(',');
            assertEquals(rows.get(i), line.substring(0, cut), "row " + i + " echoed");
            scores[i] = Double.parseDouble(line.substring(cut + 1));
            assertTrue(scores[i] >= 0 && scores[i] <= 1, line);
        }
        assertEquals(0.0, scores[60], "a bad row scores 0");
        List<Double> sorted = new ArrayList<>();
        for (double s : scores) {
            sorted.add(s);
        }
        Collections.sort(sorted);
        assertTrue(scores[150] >= sorted.get((int) (0.97 * sorted.size())), "the spike is among the top 3 %: " + scores[150]);

        Path again = dir.resolve("again.csv");
        assertEquals(0, BackfillITCase.backfill(in, again, args()).code());
        assertEquals(lines, Files.readAllLines(again), "same input, same seed: same scores");
    }

    /** Each key of a shuffled multi-key file gets exactly the scores its rows get alone. */
    @Test
    void multiKeyFileScoresEachKeyAsIfAlone() throws IOException {
        List<String> a = series(100, 70, 5, 2);
        List<String> b = series(80, 30, 500, 3);
        List<String> keyed = new ArrayList<>();
        a.forEach(l -> keyed.add("a," + l));
        b.forEach(l -> keyed.add("b," + l));
        // Shuffled across keys, each key's rows kept in their order.
        List<String> shuffled = new ArrayList<>();
        Random r = new Random(9);
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && r.nextBoolean())) {
                shuffled.add("a," + a.get(i++));
            } else {
                shuffled.add("b," + b.get(j++));
            }
        }
        Path in = dir.resolve("multi.csv");
        Files.write(in, concat("series,timestamp,value", shuffled));
        Path out = dir.resolve("multi-out.csv");
        BackfillITCase.Run run = BackfillITCase.backfill(in, out, args());
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stderr().contains("trainings=2") && run.stderr().contains("series=2 causal=false"),
                run.stderr());
        List<String> lines = Files.readAllLines(out);
        assertEquals("series,timestamp,value,anomaly_score", lines.get(0));

        for (String key : List.of("a", "b")) {
            Path alone = dir.resolve(key + ".csv");
            Files.write(alone, concat("timestamp,value", key.equals("a") ? a : b));
            Path aloneOut = dir.resolve(key + "-out.csv");
            assertEquals(0, BackfillITCase.backfill(alone, aloneOut, args()).code());
            List<String> expected = Files.readAllLines(aloneOut).subList(1, (key.equals("a") ? a : b).size() + 1);
            List<String> actual = lines.subList(1, lines.size()).stream()
                    .filter(l -> l.startsWith(key + ","))
                    .map(l -> l.substring(key.length() + 1))
                    .toList();
            assertEquals(expected, actual, key);
        }
    }

    @Test
    void misuseExitsTwoWithOneLine() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.write(in, concat("timestamp,value", series(40, -1, 1, 4)));
        Path out = dir.resolve("out.csv");
        String f = dir.resolve("f.csv").toString();
        for (String[] extra : new String[][] {
                {"--bidirectional", "--forecasts-out", f}, {"--bidirectional", "--alerts-out", f},
                {"--bidirectional", "--report", f}, {"--bidirectional", "--horizon", "3"},
                {"--bidi-layers", "2"}, {"--bidirectional", "--bidi-window", "4"},
                {"--bidirectional", "--bidi-hidden", "0"}, {"--bidirectional", "--bidi-cell", "TCN"},
                {"--bidirectional", "--calendar", "hour_of_day"},
                {"--bidirectional", "--output-format", "avro"}, {"--bidirectional", "--scores-topic", "s"},
                {"--bidirectional", "-D", "forecaster.alerts.warning=0.8"}}) {
            BackfillITCase.Run run = BackfillITCase.backfill(in, out, extra);
            assertEquals(2, run.code(), String.join(" ", extra) + ": " + run.stderr());
            assertEquals(1, run.stderr().strip().lines().count(), String.join(" ", extra) + ": " + run.stderr());
        }
    }

    private static List<String> concat(String header, List<String> rows) {
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
